// Loaded synchronously as the first thing in <body> (no inline script, for CSP).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');

// Searchable pickers (issue 15 C14): every <select data-module="app-autocomplete"> becomes GOV.UK's
// accessible-autocomplete (static/accessible-autocomplete, loaded by base.html before this module),
// so a person types part of a name instead of scrolling through some 300 officers. Without
// JavaScript, or if the library did not load, the select stays a plain <select> and still works.
//
// What the portal adds to the library's enhanceSelectElement:
// - the select's value is the option's value, not its text, so two officers with the same
//   name and job title stay two choices;
// - several words match in any order ("smith highways");
// - names are shown as text: the library inserts a suggestion as HTML;
// - the label, the hint and the error message stay tied to the box (aria-describedby), and a
//   question with an error keeps GOV.UK's red border;
// - what the box shows is what is sent: cleared, or typed to match nothing, the select is
//   sent empty, and the server's error message says what to do. Where the empty choice means
//   something ("The current owner"), the select says so with data-empty-choice, and it can be
//   found and chosen like the others.

const MODULE = 'app-autocomplete';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (character) => ESCAPES[character]);

// The library hands back either one of our options or, before anything was typed, the
// text it was given as the default value.
const textOf = (option) => (option == null ? '' : typeof option === 'string' ? option : option.text);

function choicesOf(select) {
  const emptyIsAChoice = select.dataset.emptyChoice === 'true';
  return [...select.options]
    .filter((option) => option.value !== '' || emptyIsAChoice)
    .map((option) => ({ value: option.value, text: option.textContent.trim() }));
}

const selectedText = (select) =>
  select.selectedIndex >= 0 && (select.value !== '' || select.dataset.emptyChoice === 'true')
    ? select.options[select.selectedIndex].textContent.trim()
    : '';

function search(choices) {
  return (query, populate) => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    populate(choices.filter((choice) => words.every((word) => choice.text.toLowerCase().includes(word))));
  };
}

// Keeps the question's hint and error message in the box's description: the library sets
// aria-describedby to its own instructions, and removes it once something is typed.
function keepDescription(input, ids) {
  if (!ids.length) return;
  const describe = () => {
    const current = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const wanted = [...ids, ...current.filter((id) => !ids.includes(id))];
    if (wanted.join(' ') !== current.join(' ')) input.setAttribute('aria-describedby', wanted.join(' '));
  };
  describe();
  new MutationObserver(describe).observe(input, { attributes: true, attributeFilter: ['aria-describedby'] });
}

export function enhance(select) {
  const library = window.accessibleAutocomplete;
  if (!library || !select.id || select.multiple || select.dataset.appAutocompleteInit) return;
  select.dataset.appAutocompleteInit = 'true';

  const id = select.id;
  const choices = choicesOf(select);
  const describedBy = (select.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  const hasError = ['govuk-select--error', 'govuk-input--error'].some((name) => select.classList.contains(name));
  // The list of matches is named by the question's label (the library names it by the box,
  // whose name would then be what was typed).
  const label = document.querySelector(`label[for="${CSS.escape(id)}"]`);
  if (label && !label.id) label.id = `${id}-label`;

  library.enhanceSelectElement({
    selectElement: select,
    id,
    defaultValue: selectedText(select),
    source: search(choices),
    templates: { inputValue: textOf, suggestion: (option) => escapeHtml(textOf(option)) },
    onConfirm: (option) => {
      if (option == null) return; // left without choosing: the form's submit decides, below
      const choice = typeof option === 'string' ? choices.find((c) => c.text === option) : option;
      if (choice) select.value = choice.value;
    },
    inputClasses: hasError ? 'govuk-input--error' : null,
    menuAttributes: label ? { 'aria-labelledby': label.id } : {},
    tNoResults: () => 'No match: try fewer letters, or another part of the name',
  });

  const input = document.getElementById(id);
  if (!input || input === select) return;
  keepDescription(input, describedBy);

  // What the box shows is what is sent.
  select.form?.addEventListener('submit', () => {
    const text = input.value.trim();
    if (text === selectedText(select)) return;
    const lower = text.toLowerCase();
    const match = choices.find((c) => c.text === text) || choices.find((c) => c.text.toLowerCase() === lower);
    select.value = match ? match.value : '';
  });
}

export function enhanceAll(root = document) {
  root.querySelectorAll(`select[data-module="${MODULE}"]`).forEach(enhance);
}

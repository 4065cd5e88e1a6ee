// Relative imports: they resolve to the same URLs as the <script type="module"> tags in
// base.html under any STATIC_URL (default /static/).
import { initAll } from '../govuk/govuk-frontend.min.js';
import { enhanceAll } from './autocomplete.js';

initAll();
// Issue 15 C14: the searchable pickers (select[data-module="app-autocomplete"]).
enhanceAll(document);

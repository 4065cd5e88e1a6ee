// Relative import: resolves to the same URL as the govuk-frontend.min.js
// <script type="module"> in base.html under any STATIC_URL (default /static/).
import { initAll } from '../govuk/govuk-frontend.min.js';

initAll();

"""The annual protocol-effectiveness report (DESIGN §7; 000 §II.A, §VII; 004): what it holds
(``report``) and its printable page and PDF (``views``).
"""

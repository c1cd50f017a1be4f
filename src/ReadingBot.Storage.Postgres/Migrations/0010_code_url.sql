-- Schema 10. A paper's code link where a source names one (a GitHub link in arXiv's comment field).
ALTER TABLE papers ADD COLUMN code_url text;

"""Word documents rendered from templates: the notice, the record, the brief, the reports."""

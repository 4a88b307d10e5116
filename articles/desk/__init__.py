"""The editors' desk: the ModelAdmins, the publishing workflow, revisions, desk search, soft locks and time zones."""

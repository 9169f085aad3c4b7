"""The pages of reporting, one module per part (targets, disclosures, public notices, dashboards,
reports); ``reporting/urls.py`` lists them."""

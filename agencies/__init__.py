"""Agencies: the tenancy root — agencies, departments, yearly facts, memberships and scoping."""

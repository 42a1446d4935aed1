"""Dialogs: record editors, settings, backups, plan-lock prompt."""

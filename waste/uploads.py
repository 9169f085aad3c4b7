"""Moved to ``ledger/uploads.py``, the one module for every attachment (vouchers included); the
old name stays for code written against it (campaigns' creation workflow, say)."""

from ledger.uploads import stored_type, upload_check, upload_prepare, upload_response  # noqa: F401

"""Every state change of the certification workflow (CERT-1..3), one function each.

Each service locks the rows it changes (`select_for_update`), checks the state
and the actor's permission, saves, writes an append-only `CertificationEvent`
and queues side effects (PDF rendering, exports) with `transaction.on_commit`.

- `campaigns`: campaign_create, campaign_close, code_version_publish
- `obligations`: obligations_sync (new hires, promotions, leavers), obligation_code_opened
- `certify`: certification_sign, certificate_issue_pdf, verification
- `reminders`: reminders_dispatch, reminder_send
- `exports`: export_request, export_build, exports_purge_expired
"""

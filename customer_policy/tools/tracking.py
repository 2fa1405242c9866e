"""Batch tracking of the crons' writes."""

from odoo.tools.mail import generate_tracking_message_id


def write_tracked(records, vals):
    """``records.write(vals)``, with the chatter's tracking logged in one batch.

    Odoo logs tracked changes at commit one record at a time (a message and its
    tracking values: several queries per record); a cron that writes thousands
    of records would make its query count grow with them. The messages written
    here are those of Odoo's tracking (a note by the current user with the old
    and new values), created together. Records whose environment disables
    tracking (``tracking_disable``) get no note, as with Odoo's.
    """
    if not records:
        return
    names = []
    if not records.env.context.get("tracking_disable"):
        names = [name for name in vals if name in records._track_get_fields()]
    initial = {record.id: {name: record[name] for name in names} for record in records}
    records.with_context(tracking_disable=True).write(vals)
    if names:
        _log_tracking(records, names, initial)


def _log_tracking(records, fnames, initial):
    """Log the changes of ``fnames`` since ``initial`` ({id: {name: value}}) as
    Odoo's ``_message_track`` does, in one batch."""
    tracked_fields = records.fields_get(
        fnames, attributes=("string", "type", "selection", "currency_field")
    )
    author_id, email_from = records._message_compute_author(
        None, None, raise_on_email=False
    )
    reply_to = records.env["mail.thread"]._notify_get_reply_to(default=email_from)
    base = {
        "author_id": author_id,
        "email_from": email_from,
        "model": records._name,
        "record_alias_domain_id": False,
        "record_company_id": False,
        "record_name": False,
        "message_type": "notification",
        "is_internal": True,
        "subject": False,
        "subtype_id": records.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
        "email_add_signature": False,
        "partner_ids": False,
        "reply_to": reply_to[False],
        "body": "",
    }
    values_list = []
    trackings = []
    for record in records:
        _changes, commands = record._mail_track(tracked_fields, initial[record.id])
        if commands:
            values_list.append(
                dict(
                    base,
                    res_id=record.id,
                    message_id=generate_tracking_message_id("message-notify"),
                )
            )
            trackings.append([vals for _command, _id, vals in commands])
    if not values_list:
        return
    messages = records.sudo()._message_create(values_list)
    # Created apart: as commands of the messages, Odoo would insert the tracking
    # values one message at a time.
    records.env["mail.tracking.value"].sudo().create(
        [
            dict(vals, mail_message_id=message.id)
            for message, vals_list in zip(messages, trackings, strict=True)
            for vals in vals_list
        ]
    )

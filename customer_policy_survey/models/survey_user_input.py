import re

from markupsafe import Markup, escape

from odoo import api, models
from odoo.tools.mail import is_html_empty

# What the layout shows of each mail, marked where it goes in the layout rendered
# once per language and company.
LAYOUT_MARKS = {
    "body": "\x02customer-policy-body\x03",
    "preview": "\x02customer-policy-preview\x03",
    "record_name": "\x02customer-policy-record-name\x03",
}
LAYOUT_MARKS_RE = re.compile("|".join(map(re.escape, LAYOUT_MARKS.values())))


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """A customer's answer moves its satisfaction (and health) at once."""
        result = super()._mark_done()
        invitations = (
            self.env["customer.survey.invitation"]
            .sudo()
            .search([("user_input_id", "in", self.ids)])
        )
        if invitations:
            invitations.commercial_partner_id._customer_policy_refresh_health()
        return result

    @api.model
    def _customer_policy_create_batched(self, vals_list):
        """Create the answers of many invitations (as superuser) with the chatter
        work of ``mail.thread.create`` done once per batch, not per answer.

        ``mail.thread.create`` runs ``_message_auto_subscribe`` answer by answer:
        each reads the followers of the answer's survey (a query per answer)
        to make them follow the answer (the survey's "completed" subtype).
        Here the answers are created without it, then, for the answers of each
        survey together: the same auto-subscription, the creating user as
        follower and the creation note, as ``create`` would have done.
        """
        Inputs = self.sudo()
        answers = Inputs.with_context(tracking_disable=True).create(vals_list)
        answers = answers.with_env(Inputs.env)
        if self.env.context.get("tracking_disable") or not answers:
            return answers
        if not self.env.context.get("mail_create_nosubscribe") and self.env.user.active:
            self.env["mail.followers"]._insert_followers(
                answers._name,
                answers.ids,
                self.env.user.partner_id.ids,
                subtypes=None,
                customer_ids=[],
                check_existing=False,
            )
        for survey, group in answers.grouped("survey_id").items():
            group._message_auto_subscribe(
                {"survey_id": survey.id}, followers_existing_policy="update"
            )
        if not self.env.context.get("mail_create_nolog"):
            answers._message_log_batch(
                bodies={answer.id: answer._creation_message() for answer in answers}
            )
        return answers

    def _customer_policy_mail_batched(self, template, layout_xmlid):
        """The e-mails of ``template`` to these answers, as
        ``template.send_mail_batch(self.ids, email_layout_xmlid=layout_xmlid)``
        creates them (same subject, body, recipients, language, layout), for
        many answers at a time.

        ``send_mail_batch`` compiles the template's body for each mail, renders
        the layout for each mail and stores the whole wrapped body (about 6 kB)
        as the body of the mail's message too, which the ORM sanitizes five
        times on creation: most of a round of the invitation cron. Here the
        fields are rendered by the template, per language, as
        ``send_mail_batch`` does, the body compiled once (see
        ``mail.template._render_template_qweb``); the layout is
        rendered once per language and company, the body, preview and name of
        each answer put in their places; the message keeps the template's body
        (the e-mail sent is ``body_html``), as Odoo's composer does when it
        mails many records. A layout that does not show each of them exactly
        once is rendered for each mail, as ``send_mail_batch`` does.
        """
        template = template.sudo()
        template._send_check_access(self.ids)
        answers = self.sudo().with_prefetch(self.ids)
        values_by_id = template.with_context(
            customer_policy_compile_once=True
        )._generate_template(
            answers.ids,
            (
                "attachment_ids",
                "auto_delete",
                "body_html",
                "email_cc",
                "email_from",
                "email_to",
                "mail_server_id",
                "model",
                "partner_to",
                "reply_to",
                "report_template_ids",
                "res_id",
                "scheduled_date",
                "subject",
            ),
        )
        langs = template._render_lang(answers.ids) if template.lang else {}
        companies = answers._mail_get_companies(default=self.env.company)
        Render = self.env["mail.render.mixin"]
        layouts = {}
        values_list, attachments_list = [], []
        for answer in answers:
            values = values_by_id[answer.id]
            values["recipient_ids"] = [
                (4, pid) for pid in values.get("partner_ids") or []
            ]
            values["attachment_ids"] = [
                (4, aid) for aid in values.get("attachment_ids") or []
            ]
            attachments_list.append(values.pop("attachments", []))
            if "email_from" in values and not values.get("email_from"):
                values.pop("email_from")
            lang = langs.get(answer.id) or False
            company = companies.get(answer.id) or self.env.company
            key = (lang, company)
            if key not in layouts:
                layouts[key] = answer._customer_policy_layout(
                    layout_xmlid, lang, company
                )
            body = values["body_html"]
            record_name = answer.display_name
            preview = self.env["mail.message"].sudo().new({"body": body}).preview
            if layouts[key] and record_name and preview:
                parts = {
                    LAYOUT_MARKS["body"]: str(Render._replace_local_links(body)),
                    LAYOUT_MARKS["preview"]: str(escape(preview)),
                    LAYOUT_MARKS["record_name"]: str(
                        escape(record_name.replace("/", "-"))
                    ),
                }
                values["body_html"] = Markup(
                    LAYOUT_MARKS_RE.sub(lambda m, p=parts: p[m[0]], layouts[key])
                )
            else:
                values["body_html"] = answer._customer_policy_render_layout(
                    layout_xmlid, lang, company, body
                )
            values["body"] = body
            values_list.append(values)
        mails = self.env["mail.mail"].sudo().create(values_list)
        for mail, attachments in zip(mails, attachments_list, strict=True):
            if attachments:
                mail.with_context(default_type=None).write(
                    {
                        "attachment_ids": [
                            (
                                0,
                                0,
                                {
                                    "name": name,
                                    "datas": datas,
                                    "type": "binary",
                                    "res_model": "mail.message",
                                    "res_id": mail.mail_message_id.id,
                                },
                            )
                            for name, datas in attachments
                        ]
                    }
                )
        return mails

    def _customer_policy_layout_values(self, lang, company, message):
        """What ``mail.template.send_mail_batch`` gives the layout of a mail
        to this answer."""
        model = self.env["ir.model"]._get(self._name)
        model_lang = model.with_context(lang=lang) if lang else model
        return model_lang.env["ir.qweb"], {
            "message": message,
            "subtype": self.env["mail.message.subtype"].sudo(),
            "model_description": model_lang.display_name,
            "record": self,
            "record_name": False,
            "subtitles": False,
            "company": company,
            "email_add_signature": False,
            "signature": "",
            "website_url": "",
            "is_html_empty": is_html_empty,
        }

    def _customer_policy_render_layout(self, layout_xmlid, lang, company, body):
        """``body`` in the layout, rendered for this answer as
        ``mail.template.send_mail_batch`` does."""
        self.ensure_one()
        message = (
            self.env["mail.message"]
            .sudo()
            .new({"body": body, "record_name": self.display_name})
        )
        qweb, values = self._customer_policy_layout_values(lang, company, message)
        html = qweb._render(
            layout_xmlid, values, minimal_qcontext=True, raise_if_not_found=False
        )
        return self.env["mail.render.mixin"]._replace_local_links(html or body)

    def _customer_policy_layout(self, layout_xmlid, lang, company):
        """The layout of the mails in ``lang`` for ``company``, with the marks
        of ``LAYOUT_MARKS`` where each mail's body, preview and name go; or
        ``None`` when the layout does not show each of them exactly once."""
        message = (
            self.env["mail.message"]
            .sudo()
            .new(
                {
                    "body": Markup(LAYOUT_MARKS["body"]),
                    "record_name": LAYOUT_MARKS["record_name"],
                    "preview": LAYOUT_MARKS["preview"],
                }
            )
        )
        qweb, values = self[:1]._customer_policy_layout_values(lang, company, message)
        html = qweb._render(
            layout_xmlid, values, minimal_qcontext=True, raise_if_not_found=False
        )
        html = str(self.env["mail.render.mixin"]._replace_local_links(html or ""))
        if any(html.count(mark) != 1 for mark in LAYOUT_MARKS.values()):
            return None
        return html

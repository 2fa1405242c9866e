"""What the record rules of the policy ask of a customer, as SQL that PostgreSQL
answers from the indexes of the filtered table.

A rule's path through ``commercial_partner_id`` (``commercial_partner_id.user_id``,
``commercial_partner_id.customer_project_team_ids``) becomes a sub-select over
``res_partner`` that PostgreSQL can only run by reading every partner, for every
record it filters. The search methods of the rule fields return these instead.
"""

from odoo.tools import SQL


def _user_ids(operator, value):
    """The user ids of a record rule's ``(field, 'in', user.id)`` condition."""
    if operator != "in":
        raise NotImplementedError(f"Unsupported operator {operator!r}")
    return [value] if isinstance(value, int) else list(value)


def commercial_partner_in(select):
    """A domain: the commercial partner is one of the ids ``select`` returns, as
    ``= ANY(ARRAY(select))``, which PostgreSQL runs once per query and costs once,
    whatever the number of rows it filters, and answers from the index of the
    filtered table's ``commercial_partner_id``."""
    return [("commercial_partner_id", "=", SQL("ANY(ARRAY(%s))", select))]


def ids_of_users(field, operator, value):
    """The SELECT of the records whose many2many ``field`` (to res.users) holds
    one of the users of a record rule's ``(field, 'in', user.id)`` condition,
    straight on the relation: the rule costs no compilation of a domain."""
    return SQL(
        "SELECT %s FROM %s WHERE %s IN %s",
        SQL.identifier(field.column1),
        SQL.identifier(field.relation),
        SQL.identifier(field.column2),
        tuple(_user_ids(operator, value)),
        to_flush=field,
    )


def project_team_customers(env, operator, value):
    """The SELECT of the customers whose project team holds one of the users of a
    record rule's ``(field, 'in', user.id)`` condition."""
    return ids_of_users(
        env["res.partner"]._fields["customer_project_team_ids"], operator, value
    )


def granted_customers(env, operator, value):
    """The SELECT of the customers one of the users of a record rule's
    ``(field, 'in', user.id)`` condition holds an approved access request for."""
    Request = env["customer.access.request"]

    def column(name):
        return SQL.identifier(Request._table, name, to_flush=Request._fields[name])

    return SQL(
        "SELECT %s FROM %s WHERE %s IN %s AND %s = %s",
        column("partner_id"),
        SQL.identifier(Request._table),
        column("requester_id"),
        tuple(_user_ids(operator, value)),
        column("state"),
        "approved",
    )


def customer_access_users(env, partner_ids):
    """``{customer id: (project team user ids, granted user ids)}`` of the
    customers ``partner_ids``, in one query: the record rules evaluated on records
    already read (Odoo checks them in Python before reading a computed field) ask
    these of each customer of the page at once, not through two relations and
    their users."""
    ids = sorted({partner_id for partner_id in partner_ids if partner_id})
    if not ids:
        return {}
    team = env["res.partner"]._fields["customer_project_team_ids"]
    Request = env["customer.access.request"]

    def column(name):
        return SQL.identifier("r", name, to_flush=Request._fields[name])

    rows = env.execute_query(
        SQL(
            """
            SELECT pid,
                   ARRAY(SELECT t.%(user)s FROM %(team)s t WHERE t.%(partner)s = pid),
                   ARRAY(SELECT %(requester)s FROM %(requests)s r
                          WHERE %(request_partner)s = pid AND %(state)s = 'approved')
              FROM unnest(%(ids)s::int[]) AS pid
            """,
            user=SQL.identifier(team.column2),
            team=SQL.identifier(team.relation, to_flush=team),
            partner=SQL.identifier(team.column1),
            requester=column("requester_id"),
            requests=SQL.identifier(Request._table),
            request_partner=column("partner_id"),
            state=column("state"),
            ids=ids,
        )
    )
    return {pid: (team_ids, grantee_ids) for pid, team_ids, grantee_ids in rows}

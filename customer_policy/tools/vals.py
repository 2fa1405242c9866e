"""Raw create/write values checked before anything reads them.

Over RPC a value can be anything JSON or XML-RPC carries. The ORM converts most
of them, but only after the overrides of the addons have read them, and some
(a list for a many2one, a word for a number) it hands on to PostgreSQL. Checking
them first gives the user a clear message instead of a server error.
"""

import base64
import binascii
import math
from datetime import date

from odoo.exceptions import ValidationError
from odoo.models import BaseModel, NewId

# PostgreSQL's btree index refuses a row over 2704 bytes (3 bytes a Chinese
# character, and the addon's normalised keys and pinyin grow from the name):
# an indexed text stays far below. Others get a bound that no form field needs.
MAX_INDEXED_CHAR = 256
MAX_CHAR = 4096
MAX_TEXT = 1_000_000
INT4_MAX = 2**31 - 1
# Money and quantities: beyond 10^15 a float no longer holds the cents.
MAX_NUMBER = 10**15


def _is_id(value):
    return (
        (type(value) is int and 0 < value <= INT4_MAX)
        # Records not saved yet (onchange, forms): the ORM resolves them.
        or isinstance(value, NewId)
    ) or (isinstance(value, str) and value.isdigit() and 0 < int(value) <= INT4_MAX)


def _refuse(model, field, value):
    text = repr(value)
    raise ValidationError(
        model.env._(
            "%(value)s is not a valid value for the field %(field)s of %(model)s.",
            value=text if len(text) <= 60 else text[:57] + "...",
            field=field.string or field.name,
            model=model._description or model._name,
        )
    )


def _check_many2one(model, field, value):
    # Any empty value (0, "", [], a new record's id) the ORM stores as none.
    if not value or _is_id(value):
        return
    if (
        isinstance(value, BaseModel)
        and value._name == field.comodel_name
        and len(value) <= 1
    ):
        return
    _refuse(model, field, value)


def _check_commands(model, field, value):
    if value is False or value is None:
        return
    if isinstance(value, BaseModel) and value._name == field.comodel_name:
        return
    if not isinstance(value, (list, tuple)):
        _refuse(model, field, value)
    comodel = model.env[field.comodel_name]
    for command in value:
        if _is_id(command) or isinstance(command, BaseModel):
            continue
        if not isinstance(command, (list, tuple)) or not command:
            _refuse(model, field, value)
        code = command[0]
        # Command members are an IntEnum: an int, but not of type int.
        if not isinstance(code, int) or isinstance(code, bool) or not 0 <= code <= 6:
            _refuse(model, field, value)
        if code in (0, 1):
            if len(command) != 3 or not isinstance(command[2], dict):
                _refuse(model, field, value)
            if code == 1 and not _is_id(command[1]):
                _refuse(model, field, value)
            check_input(comodel, [command[2]])
        elif code in (2, 3, 4):
            if len(command) < 2 or not _is_id(command[1]):
                _refuse(model, field, value)
        elif code == 6:
            ids = command[2] if len(command) == 3 else None
            if not isinstance(ids, (list, tuple)) or not all(
                _is_id(id_) for id_ in ids
            ):
                _refuse(model, field, value)


def _check_char(model, field, value, limit=None):
    if value is False or value is None:
        return
    if not isinstance(value, str):
        _refuse(model, field, value)
    limit = limit or field.size or (MAX_INDEXED_CHAR if field.index else MAX_CHAR)
    if len(value) > limit:
        raise ValidationError(
            model.env._(
                "%(field)s of %(model)s takes at most %(limit)s characters "
                "(%(count)s given).",
                field=field.string or field.name,
                model=model._description or model._name,
                limit=limit,
                count=len(value),
            )
        )


def _check_number(model, field, value):
    if value is False or value is None:
        return
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            _refuse(model, field, value)
    if type(value) is bool or not isinstance(value, (int, float)):
        _refuse(model, field, value)
    bound = INT4_MAX if field.type == "integer" else MAX_NUMBER
    if not math.isfinite(value) or abs(value) > bound:
        _refuse(model, field, value)


def _check_selection(model, field, value):
    if value is False or value is None:
        return
    if not isinstance(value, str | int) or value not in field.get_values(model.env):
        _refuse(model, field, value)


def _check_date(model, field, value):
    if value is False or value is None:
        return
    # The ORM reads any empty value ([], "", 0) as no date, then hands it on.
    if not isinstance(value, str | date) or not value:
        _refuse(model, field, value)
    convert = field.to_datetime if field.type == "datetime" else field.to_date
    try:
        convert(value)
    except (ValueError, TypeError, OverflowError):
        _refuse(model, field, value)


def _check_text(model, field, value):
    if value is False or value is None:
        return
    kinds = str | bytes if field.type == "binary" else str
    if not isinstance(value, kinds):
        _refuse(model, field, value)
    if field.type != "binary" and len(value) > MAX_TEXT:
        _refuse(model, field, value)


def _check_binary(model, field, value):
    _check_text(model, field, value)
    # Stored as an attachment, the value is decoded from base64 (what the web
    # client sends) when it is saved, and a value that is not base64 ends in a
    # server error there.
    if value and field.attachment:
        try:
            base64.b64decode(value)
        except (binascii.Error, ValueError):
            _refuse(model, field, value)


def _check_required(model, field):
    # A required field emptied: the constraints that read it would run before
    # PostgreSQL refuses the empty column, and end in a server error.
    if field.type in ("boolean", "one2many", "many2many"):
        return
    raise ValidationError(
        model.env._(
            "%(field)s of %(model)s is required: it cannot be left empty.",
            field=field.string or field.name,
            model=model._description or model._name,
        )
    )


_CHECKS = {
    "text": _check_text,
    "html": _check_text,
    "binary": _check_binary,
    "many2one": _check_many2one,
    "one2many": _check_commands,
    "many2many": _check_commands,
    "char": _check_char,
    "integer": _check_number,
    "float": _check_number,
    "monetary": _check_number,
    "selection": _check_selection,
    "date": _check_date,
    "datetime": _check_date,
}


def check_input(model, vals_list, only=None, sizes=None):
    """Raise a ValidationError naming the field when a value of ``vals_list``
    (dicts of create/write) is of a kind the field cannot take.

    ``only``: a function of the field name saying which fields to check (a model
    that other apps extend checks only its own); ``sizes``: {field name: most
    characters} where a text feeds an index of its own (a normalised key).
    """
    for vals in vals_list:
        if not isinstance(vals, dict):
            raise ValidationError(
                model.env._("The values to save must be given field by field.")
            )
        for name, value in vals.items():
            if only and not only(name):
                continue
            field = model._fields.get(name)
            if field is None:
                raise ValidationError(
                    model.env._(
                        "%(model)s has no field %(field)s.",
                        model=model._description or model._name,
                        field=repr(name)[:60],
                    )
                )
            if (value is None or value is False) and field.required:
                _check_required(model, field)
            if sizes and name in sizes:
                _check_char(model, field, value, sizes[name])
                continue
            check = _CHECKS.get(field.type)
            if check:
                check(model, field, value)

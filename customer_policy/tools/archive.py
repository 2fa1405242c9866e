"""Normalization of customer identifiers for duplicate control (查重)."""

import re
import unicodedata

# Fields of res.partner that make up the customer archive (客户档案).
ARCHIVE_FIELDS = (
    "vat",
    "company_registry",
    "industry_id",
    "phone",
    "email",
    "street",
    "city",
    "country_id",
    "legal_representative",
    "business_scope",
    "registered_capital",
    "company_scale",
    "business_needs",
    "purchase_preferences",
    "decision_process",
    "budget_amount",
)

# Boolean fields of res.partner the nightly data-quality check sets.
DATA_QUALITY_FLAGS = (
    "data_quality_missing",
    "data_quality_invalid_uscc",
    "data_quality_stale",
    "data_quality_duplicate",
)

# What the archive must hold by default before a customer is registered.
DEFAULT_REQUIRED_FIELDS = (
    "vat",
    "legal_representative",
    "industry_id",
    "phone",
    "street",
    "city",
    "country_id",
    "company_scale",
)

# Legal-form suffixes that do not tell two companies apart, longest first, as
# they read once width, case, spaces and punctuation are folded.
_NAME_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "责任公司",
    "公司",
    "colimited",
    "coltd",
    "limited",
    "ltd",
    "incorporated",
    "inc",
    "corporation",
    "corp",
)

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)

# Mailboxes anyone can open: sharing one says nothing about the company.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "qq.com",
        "vip.qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "aliyun.com",
        "139.com",
        "189.cn",
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "msn.com",
    }
)


def normalize_name(name):
    """Fold a company name so that spelling variants compare equal.

    Full-width and half-width forms, case, spaces, punctuation (brackets
    included) and the legal-form suffix are ignored: 上海星河科技有限公司,
    上海 星河科技 有限公司 and 上海星河科技（有限公司） give the same key.
    """
    if not name:
        return False
    key = _NOT_WORD.sub("", unicodedata.normalize("NFKC", name).casefold())
    stripped = True
    while stripped:
        stripped = False
        for suffix in _NAME_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                stripped = True
                break
    return key or False


def normalize_vat(vat):
    """Upper-case USCC / tax number without spaces or dashes."""
    if not vat:
        return False
    key = _NOT_WORD.sub("", unicodedata.normalize("NFKC", vat)).upper()
    return key or False


def normalize_phone(phone):
    """Digits of a phone number without the China prefix and trunk zero.

    +86 21 6738 5035, 0086-21-67385035 and 021 6738 5035 give 2167385035.
    """
    if not phone:
        return False
    digits = "".join(
        char for char in unicodedata.normalize("NFKC", phone) if char.isdigit()
    )
    digits = digits.removeprefix("00")
    if digits.startswith("86") and len(digits) >= 12:
        digits = digits[2:]
    digits = digits.lstrip("0")
    # Extensions and short service numbers identify nobody.
    return digits if len(digits) >= 7 else False


def email_domain(email):
    """The company domain of an e-mail address, none for public mailboxes."""
    if not email or "@" not in email:
        return False
    domain = email.strip().rsplit("@", 1)[1].strip().strip(">").lower()
    if not domain or domain in PUBLIC_EMAIL_DOMAINS:
        return False
    return domain

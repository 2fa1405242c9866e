"""Pinyin of names, for finding customers the way Chinese staff type them.

A salesperson looking for 上海星河科技有限公司 types ``shanghai xinghe`` (full
pinyin) or ``shxh`` (initials) in a Latin keyboard layout. Names are turned into
both forms once, stored, and the typed text is normalized the same way.
"""

import re

try:
    from pypinyin.constants import RE_HANS
    from pypinyin.converter import DefaultConverter
    from pypinyin.core import Pinyin
except ImportError:  # the manifest's external_dependencies ask for it
    DefaultConverter = Pinyin = RE_HANS = None

# Chinese characters (CJK unified ideographs, extension A, compatibility, 〇).
HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# What a query in pinyin may contain: Latin letters, spaces, apostrophes (xi'an).
PINYIN_QUERY = re.compile(r"[A-Za-z][A-Za-z\s'’·-]*")
_NOT_ALNUM = re.compile(r"[^0-9a-z]")
# Marks the parts of a name that are not Chinese (kept as they are written).
_OTHER = "\x00"
# Words kept by the converter's memory: more than the phrase dictionary's
# words that company names use, so that it never stops learning in practice.
_WORDS_KEPT = 100000


if DefaultConverter is not None:

    class _WordMemoConverter(DefaultConverter):
        """pypinyin's converter, remembering the pinyin of each Chinese word.

        pypinyin segments a name into words of its phrase dictionary and
        converts each word on its own, so a word's pinyin does not depend on
        its neighbours. Company names repeat a few hundred words (有限公司,
        科技, 上海…): remembered, converting 100,000 names when a company goes
        live takes a third of the time (most of pypinyin's time is the
        conversion of each syllable to the plain style).
        """

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._words = {}

        def convert(self, words, style, heteronym, errors, strict, **kwargs):
            if not RE_HANS.match(words):
                # Digits and Latin letters: as many as there are names.
                return super().convert(
                    words, style, heteronym, errors, strict, **kwargs
                )
            key = (words, style, heteronym, strict)
            known = self._words.get(key)
            if known is None:
                known = tuple(
                    tuple(syllables)
                    for syllables in super().convert(
                        words, style, heteronym, errors, strict, **kwargs
                    )
                )
                if len(self._words) < _WORDS_KEPT:
                    self._words[key] = known
            return [list(syllables) for syllables in known]

    _PINYIN = Pinyin(_WordMemoConverter())


def name_pinyin(name):
    """``(full pinyin, initials)`` of ``name``, lowercase, without spaces or
    punctuation; ``(False, False)`` for a name without Chinese characters, which
    needs no pinyin to be found.

    The parts that are not Chinese are kept whole in both forms: ``ABC（上海）
    科技`` gives ``("abcshanghaikeji", "abcshkj")``. The phrase dictionary of
    pypinyin reads heteronyms in context (重庆 chongqing, 银行 yinhang).
    """
    if not name or not HAN.search(name):
        return False, False
    parts = _PINYIN.lazy_pinyin(name, errors=lambda chunk: [_OTHER + chunk])
    full, initials = [], []
    for part in parts:
        if part.startswith(_OTHER):
            text = _clean(part[1:])
            full.append(text)
            initials.append(text)
        else:
            text = _clean(part)
            full.append(text)
            initials.append(text[:1])
    return "".join(full), "".join(initials)


def pinyin_query(value):
    """The normalized pinyin of what a user typed (``"Shanghai xinghe"`` ->
    ``"shanghaixinghe"``), or ``None`` when it is not pinyin: Chinese characters,
    digits, or fewer than two letters."""
    if not isinstance(value, str) or not PINYIN_QUERY.fullmatch(value.strip()):
        return None
    query = _clean(value)
    return query if len(query) >= 2 else None


def _clean(text):
    return _NOT_ALNUM.sub("", text.lower())

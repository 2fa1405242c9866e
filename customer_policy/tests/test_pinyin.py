import logging
import time

from pypinyin import lazy_pinyin

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from ..tools.pinyin import name_pinyin, pinyin_query
from .common import CustomerPolicyCase, prepare_raw_insert

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPinyinOfNames(TransactionCase):
    """Names in full pinyin and initials, read in context (heteronyms)."""

    def test_full_and_initials(self):
        self.assertEqual(
            name_pinyin("上海星河科技有限公司"),
            ("shanghaixinghekejiyouxiangongsi", "shxhkjyxgs"),
        )

    def test_heteronyms_read_in_context(self):
        self.assertEqual(name_pinyin("重庆银行")[0], "chongqingyinhang")
        self.assertEqual(name_pinyin("长安汽车")[1], "caqc")

    def test_remembered_words_read_as_pypinyin_reads_them(self):
        """The words remembered from one name do not change the reading of
        another: the same characters in another word keep their own pinyin."""
        names = [
            "重庆银行",
            "行长办公室",
            "银行行长",
            "长安汽车",
            "长江实业重庆分行",
            "重庆重型机械",
            "音乐之声乐器行",
            "快乐音乐",
        ]
        expected = {
            "重庆银行": "chongqingyinhang",
            "行长办公室": "hangzhangbangongshi",
            "银行行长": "yinhanghangzhang",
            "长安汽车": "changanqiche",
        }
        for order in (names, names[::-1], names + names):
            for name in order:
                full, initials = name_pinyin(name)
                reference = lazy_pinyin(name)
                with self.subTest(name=name):
                    self.assertEqual(full, "".join(reference))
                    self.assertEqual(initials, "".join(s[:1] for s in reference))
                    if name in expected:
                        self.assertEqual(full, expected[name])

    def test_latin_parts_kept_whole(self):
        self.assertEqual(
            name_pinyin("ABC（上海）科技 Lab"), ("abcshanghaikejilab", "abcshkjlab")
        )

    def test_no_pinyin_without_chinese(self):
        self.assertEqual(name_pinyin("Deco Addict"), (False, False))
        self.assertEqual(name_pinyin(False), (False, False))

    def test_queries(self):
        self.assertEqual(pinyin_query("Shanghai Xinghe"), "shanghaixinghe")
        self.assertEqual(pinyin_query(" shxh "), "shxh")
        self.assertEqual(pinyin_query("xi'an"), "xian")
        for not_pinyin in ("上海", "021 5555", "s", "", None, "a1b2"):
            with self.subTest(query=not_pinyin):
                self.assertIsNone(pinyin_query(not_pinyin))


@tagged("post_install", "-at_install")
class TestPinyinSearch(CustomerPolicyCase):
    """shxh and shanghai xinghe find 上海星河科技有限公司 wherever a customer is
    looked up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.xinghe = cls._customer("上海星河拼音测试科技有限公司")
        cls.other = cls._customer("北京华夏拼音测试数据有限公司")
        cls.contact = cls.env["res.partner"].create(
            {"name": "王建国", "parent_id": cls.xinghe.id}
        )

    def _lookup(self, text, user=None):
        Partner = self.env["res.partner"].with_user(user or self.user_sales)
        return Partner.browse([row[0] for row in Partner.name_search(text, limit=20)])

    def test_stored_on_create_and_rename(self):
        self.assertEqual(
            self.xinghe.customer_policy_pinyin,
            "shanghaixinghepinyinceshikejiyouxiangongsi",
        )
        self.assertEqual(self.xinghe.customer_policy_pinyin_initials, "shxhpycskjyxgs")
        self.other.name = "广州南方物流集团有限公司"
        self.assertEqual(self.other.customer_policy_pinyin_initials, "gznfwljtyxgs")

    def test_initials_and_full_pinyin_find_the_customer(self):
        for typed in ("shxh", "shanghai xinghe", "Shanghai Xinghe", "xinghe", "SHXH"):
            with self.subTest(typed=typed):
                found = self._lookup(typed)
                self.assertIn(self.xinghe, found)
                self.assertNotIn(self.other, found)

    def test_contact_persons_too(self):
        self.assertIn(self.contact, self._lookup("wangjianguo"))
        self.assertIn(self.contact, self._lookup("wjg"))

    def test_nothing_found_by_unrelated_letters(self):
        self.assertFalse(self._lookup("qqzz") & (self.xinghe | self.other))

    def test_record_rules_still_apply(self):
        """Pinyin finds no customer the user may not read."""
        self.assertNotIn(self.xinghe, self._lookup("shxh", user=self.user_sales_2))

    def test_search_bar(self):
        view = self.env.ref("base.view_res_partner_filter")
        arch = self.env["res.partner"].get_views([(view.id, "search")])["views"][
            "search"
        ]["arch"]
        self.assertIn("[('display_name', 'ilike', self)]", arch)
        found = self.env["res.partner"].search([("display_name", "ilike", "shxh")])
        self.assertIn(self.xinghe, found)

    def test_customer_fields_of_other_screens(self):
        """A many-to-one to the customer (complaints, visits...) searches by
        pinyin as well."""
        ticket = self.env["customer.complaint"].create(
            {"partner_id": self.xinghe.id, "description": "<p>设备故障</p>"}
        )
        found = self.env["customer.complaint"].search([("partner_id", "ilike", "shxh")])
        self.assertIn(ticket, found)

    def test_find_a_customer(self):
        matches = self.env["res.partner"]._customer_policy_lookup(query="shxh")
        self.assertIn(self.xinghe.id, [match["id"] for match in matches])
        self.assertEqual(
            next(m for m in matches if m["id"] == self.xinghe.id)["match"], ["name"]
        )

    def test_filled_in_batches(self):
        """Installing on a database of existing partners computes their pinyin in
        batches of one SELECT and one UPDATE each."""
        partners = self.xinghe | self.other | self.contact
        partners.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET customer_policy_pinyin = NULL,"
            " customer_policy_pinyin_initials = NULL WHERE id IN %s",
            [tuple(partners.ids)],
        )
        self.env.cr.execute(
            "SELECT count(*) FROM res_partner WHERE customer_policy_pinyin IS NULL"
            " AND name ~ '[一-龥]'"
        )
        todo = self.env.cr.fetchone()[0]
        batches = -(-todo // 2)
        with self.assertQueryCount(2 * batches + 1):
            done = self.env["res.partner"]._customer_policy_fill_pinyin(batch_size=2)
        self.assertEqual(done, todo)
        partners.invalidate_recordset()
        self.assertEqual(self.contact.customer_policy_pinyin_initials, "wjg")
        self.assertIn(self.xinghe, self._lookup("shxh"))


@tagged("post_install", "-at_install", "customer_policy_volume")
class TestPinyinVolume(CustomerPolicyCase):
    """A lookup by pinyin among 100,000 customers costs the queries of one lookup
    among 100; the time is logged (the benchmark of issue 23 holds the budget)."""

    def _seed(self, count, offset):
        """Customers named from a pool of Chinese names, their pinyin computed once
        per pool name: an import's worth of rows in one INSERT."""
        pool = [
            f"{city}{word}{trade}有限公司"
            for city in ("北京", "广州", "深圳", "杭州", "成都")
            for word in ("华夏", "东方", "恒润", "云帆", "明德", "金桥")
            for trade in ("科技", "物流", "机械", "电子")
        ]
        pinyin = {name: name_pinyin(name) for name in pool}
        names, fulls, initials = [], [], []
        for index in range(offset + 1, offset + count + 1):
            name = pool[index % len(pool)]
            full, short = pinyin[name]
            names.append(f"{name}{index}")
            fulls.append(f"{full}{index}")
            initials.append(f"{short}{index}")
        self.env.flush_all()
        prepare_raw_insert(self.env, "res.partner")
        self.env.cr.execute(
            """
            INSERT INTO res_partner (
                name, complete_name, active, type, is_company, lang,
                customer_policy_managed, registration_state, user_id,
                customer_policy_pinyin, customer_policy_pinyin_initials,
                create_date, write_date
            )
            SELECT n, n, TRUE, 'contact', TRUE, 'zh_CN', TRUE, 'registered', %s,
                   f, s, now(), now()
              FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[]) AS t(n, f, s)
            """,
            (self.user_sales.id, names, fulls, initials),
        )
        self.env.cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id "
            "WHERE commercial_partner_id IS NULL"
        )
        self.env.cr.execute("ANALYZE res_partner")
        self.env.invalidate_all()

    def _lookup(self, text):
        Partner = self.env["res.partner"].with_user(self.user_sales)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        started = time.monotonic()
        found = Partner.name_search(text, limit=8)
        return found, self.env.cr.sql_log_count - before, time.monotonic() - started

    def test_lookup_among_100000_customers(self):
        target = self._customer("上海星河科技有限公司")
        self._seed(100, 0)
        self._lookup("shxh")  # warm the caches
        _found, small, _seconds = self._lookup("shxh")
        started = time.monotonic()
        self._seed(100_000, 100)
        _logger.info("seeded 100,000 customers in %.1f s", time.monotonic() - started)
        timings = {}
        for typed in ("shxh", "shanghai xinghe", "上海星河"):
            found, queries, seconds = self._lookup(typed)
            timings[typed] = seconds
            self.assertIn(target.id, [row[0] for row in found], typed)
            self.assertEqual(queries, small, "the lookup's queries grow with N")
        _logger.info(
            "pinyin lookup among 100,100 customers (%s): %s",
            "trigram indexes" if self.env.registry.has_trigram else "no pg_trgm",
            ", ".join(
                f"{typed!r} {seconds * 1000:.0f} ms"
                for typed, seconds in timings.items()
            ),
        )

"""How the policy's crons work in committed chunks.

Odoo's cron runner calls a job's method again, after a commit, as long as the
method reports work remaining with ``ir.cron._notify_progress``. Each call of a
policy cron therefore does one bounded chunk, by key range so that a chunk never
rescans what the previous ones did, and remembers the last key done in its row
of ``customer.policy.cron.lock``. Called from code (tests, a shell) there is no
runner to call again: every chunk runs in the caller's transaction, the cache
emptied between chunks.
"""

import logging

_logger = logging.getLogger(__name__)


def run_in_chunks(env, key, step):
    """Run the cron ``key`` by chunks of ``step``.

    :param env: the environment of the cron
    :param str key: the cron's name in ``customer.policy.cron.lock``
    :param step: ``step(after)`` does the chunk of keys above ``after`` (0 at the
        start of a run) and returns ``(last key done, records done, records
        remaining)``; with nothing remaining the run is over and the next one
        starts again from 0
    :return: the records done, or ``None`` when another transaction runs the cron
        (it does nothing then)
    """
    locks = env["customer.policy.cron.lock"].sudo()
    after = locks._customer_policy_claim(key)
    if after is None:
        _logger.info("%s: another run of this cron is in progress", key)
        env["ir.cron"]._notify_progress(done=0, remaining=0)
        return None
    progress_id = env.context.get("ir_cron_progress_id")
    total = 0
    while True:
        last, done, remaining = step(after)
        total += done
        after = last if remaining else 0
        locks._customer_policy_release(key, after)
        if not remaining or progress_id:
            break
        env.flush_all()
        env.invalidate_all()
    notify_progress(env, total, remaining)
    return total


def notify_progress(env, done, remaining):
    """Report a call's work to the cron runner (``ir.cron._notify_progress``),
    which calls again while some remains; after "Run manually", which runs one
    call only, the job goes on in the background."""
    env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    progress_id = env.context.get("ir_cron_progress_id")
    if remaining and progress_id and not env.context.get("cron_id"):
        env["ir.cron.progress"].sudo().browse(progress_id).cron_id._trigger()


def run_exclusive(env, key, work):
    """Run ``work()`` unless another transaction runs the cron ``key``; a cron
    that needs no chunks but must not run twice at once (it would send the same
    notifications twice).

    :return: what ``work()`` returns, or ``None`` when the cron is busy
    """
    locks = env["customer.policy.cron.lock"].sudo()
    if locks._customer_policy_claim(key) is None:
        _logger.info("%s: another run of this cron is in progress", key)
        env["ir.cron"]._notify_progress(done=0, remaining=0)
        return None
    result = work()
    locks._customer_policy_release(key, 0)
    return result

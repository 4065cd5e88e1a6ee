import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def summaries_refresh() -> int:
    """Run by beat every REPORTING_REFRESH_SECONDS: recount the days whose cases changed
    (reporting.summaries). Works from the data: a missed tick is made good by the next."""
    from reporting.summaries import refresh

    report = refresh()
    logger.info(
        "Dashboard summaries: %s enquiry days and %s concern days recounted, %s rows",
        report.enquiry_days,
        report.concern_days,
        report.rows,
    )
    return report.rows


# Retried when the mail server cannot be reached (smtplib's errors are OSErrors): the month
# is recorded as sent only once the e-mails have gone (reporting.dashboards.digest).
@shared_task(autoretry_for=(OSError,), retry_backoff=300, max_retries=5)
def monthly_digest() -> int:
    """Run by beat at 07:00 on the 1st of each month when REPORTING_DIGEST_ENABLED: last
    month's figures to the Standards Committee, once however often it runs."""
    from reporting.dashboards.digest import digest_send

    sent = digest_send()
    logger.info("Monthly digest: %s e-mails sent", sent)
    return sent

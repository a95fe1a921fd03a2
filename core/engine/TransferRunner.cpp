#include "TransferRunner.h"

#include <QThreadPool>
#include <QtConcurrent>

namespace moltdesk {

JobProgress TransferProgress::snapshot(const QString &phase, const QString &current) const
{
    JobProgress p;
    p.filesDone = files.load();
    p.filesTotal = filesTotal.load();
    p.bytesDone = bytes.load();
    p.bytesTotal = bytesTotal.load();
    p.phase = phase;
    p.current = current;
    const double secs = double(clock.elapsed()) / 1000.0;
    if (secs > 0.2 && p.bytesDone > 0) {
        p.bytesPerSecond = double(p.bytesDone) / secs;
        p.etaSeconds = qMax<qint64>(0, qint64(double(p.bytesTotal - p.bytesDone) / p.bytesPerSecond));
    }
    return p;
}

TransferTicket::TransferTicket(const PlanItem &item, std::shared_ptr<TransferProgress> progress,
                               CancelToken cancel)
    : m_item(item), m_progress(std::move(progress)), m_counted(std::make_shared<std::atomic<qint64>>(0)),
      m_cancel(std::move(cancel))
{}

namespace {
// Raises `counted` to n and adds what it rose by: a retry that reports from 0 again, or a report that
// comes after the transfer was settled, adds nothing.
void countUpTo(TransferProgress &progress, std::atomic<qint64> &counted, qint64 n)
{
    qint64 seen = counted.load();
    while (n > seen) {
        if (counted.compare_exchange_weak(seen, n)) {
            progress.bytes += n - seen;
            return;
        }
    }
}
} // namespace

std::function<void(qint64)> TransferTicket::onBytes() const
{
    return [progress = m_progress, counted = m_counted](qint64 n) { countUpTo(*progress, *counted, n); };
}

void TransferTicket::settle(qint64 total) const
{
    countUpTo(*m_progress, *m_counted, total);
}

TransferRunner::TransferRunner(int concurrency, QString phase, Reporter reporter)
    : m_concurrency(qMax(1, concurrency)), m_phase(std::move(phase)), m_reporter(std::move(reporter)),
      m_progress(std::make_shared<TransferProgress>())
{
    m_progress->clock.start();
}

void TransferRunner::report(const QString &phase, const QString &current, bool force) const
{
    if (m_reporter)
        m_reporter(m_progress->snapshot(phase, current), force);
}

qint64 JobResult::*TransferRunner::defaultCounter(PlanAction action)
{
    switch (action) {
    case PlanAction::Upload:
        return &JobResult::uploaded;
    case PlanAction::Download:
        return &JobResult::downloaded;
    case PlanAction::Copy:
        return &JobResult::copied;
    default:
        return &JobResult::replaced;
    }
}

void TransferRunner::run(const QList<const PlanItem *> &items, const Transfer &transfer,
                         const Counter &counter, const CancelToken &cancel, JobResult &result)
{
    for (const PlanItem *item : items) {
        m_progress->bytesTotal += item->size;
        ++m_progress->filesTotal;
    }
    report(m_phase, {}, true);
    // The pool is this call's own: blockingMap returns only after every worker has left the lambda,
    // so nothing below outlives what it references.
    QThreadPool pool;
    pool.setMaxThreadCount(m_concurrency);
    QtConcurrent::blockingMap(&pool, items, [&](const PlanItem *item) {
        if (!cancel.isCancelled())
            runOne(*item, transfer, counter, cancel, result);
    });
    report(m_phase, {}, true);
}

void TransferRunner::runOne(const PlanItem &item, const Transfer &transfer, const Counter &counter,
                            const CancelToken &cancel, JobResult &result)
{
    const TransferTicket ticket(item, m_progress, cancel);
    const Status done = transfer(ticket);
    // Settle this item's bytes whatever onBytes reported: progress ends at the plan's total.
    ticket.settle(item.size);
    ++m_progress->files;
    {
        QMutexLocker lock(&m_resultMutex);
        if (done) {
            ++(result.*counter(item.action));
            result.bytesTransferred += item.size;
        } else {
            ++result.failed;
            result.errors << done.error();
        }
    }
    report(m_phase, item.key);
}

} // namespace moltdesk

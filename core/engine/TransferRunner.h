#pragma once

#include "CancelToken.h"
#include "Plan.h"

#include <QElapsedTimer>
#include <QMutex>
#include <functional>
#include <memory>

namespace moltdesk {

// Progress of one apply, shared with the callbacks it hands out: a storage call that reports bytes
// after its transfer is over (or after the runner is gone) still writes into live memory.
struct TransferProgress
{
    std::atomic<qint64> files{0};
    std::atomic<qint64> bytes{0};
    std::atomic<qint64> filesTotal{0};
    std::atomic<qint64> bytesTotal{0};
    QElapsedTimer clock; // started before any worker runs, read-only after

    // Counts, rate and ETA (unknown during the first 0.2 s or before a byte moved).
    JobProgress snapshot(const QString &phase, const QString &current = {}) const;
};

// What one running transfer sees: its cancel token and a byte counter for the storage call.
class TransferTicket
{
public:
    TransferTicket(const PlanItem &item, std::shared_ptr<TransferProgress> progress, CancelToken cancel);
    const PlanItem &item() const { return m_item; }
    const CancelToken &cancel() const { return m_cancel; }
    // For TransferOptions::onBytes: the bytes this transfer moved so far, added to the progress (never
    // counted twice: a retry's second count adds only what goes past the first). Holds its state by
    // value, so it may outlive the ticket and the runner.
    std::function<void(qint64)> onBytes() const;
    // The transfer is over: counts the rest of its `total` bytes that onBytes did not report.
    void settle(qint64 total) const;

private:
    const PlanItem &m_item;
    std::shared_ptr<TransferProgress> m_progress;
    std::shared_ptr<std::atomic<qint64>> m_counted;
    CancelToken m_cancel;
};

// The apply loop of every job: plan items handed to a bounded pool of workers (each waits on a storage
// future), stopped by cancel before the next item starts, progress reported rate-limited with its ETA,
// and each outcome counted into one JobResult under one lock. What a transfer is (upload, download,
// copy and verify) is the job's; how many run, and what is counted, is this class's.
class TransferRunner
{
public:
    // One item's transfer, run on a worker thread; an error is collected, success counted.
    using Transfer = std::function<Status(const TransferTicket &ticket)>;
    // Which count of the result a finished transfer adds to (uploaded, replaced, downloaded, copied).
    using Counter = std::function<qint64 JobResult::*(PlanAction)>;
    // Job::reportProgress: (progress, force).
    using Reporter = std::function<void(const JobProgress &, bool)>;

    TransferRunner(int concurrency, QString phase, Reporter reporter);

    int concurrency() const { return m_concurrency; }
    // Shared: the job may add its own steps (sync's deletions) to the same counts.
    const std::shared_ptr<TransferProgress> &progress() const { return m_progress; }
    void report(const QString &phase, const QString &current = {}, bool force = false) const;

    // Runs `transfer` for every item, at most concurrency() at a time, and returns once all that
    // started have finished. Successes add to counter(action) and bytesTransferred; failures to
    // `failed` and `errors` (cancelled ones too: JobResult::setAsideCancelledTransfers sorts them).
    void run(const QList<const PlanItem *> &items, const Transfer &transfer, const Counter &counter,
             const CancelToken &cancel, JobResult &result);

    // The usual counters: Upload → uploaded, Replace → replaced, Download → downloaded, Copy → copied.
    static qint64 JobResult::*defaultCounter(PlanAction action);

private:
    void runOne(const PlanItem &item, const Transfer &transfer, const Counter &counter,
                const CancelToken &cancel, JobResult &result);

    int m_concurrency;
    QString m_phase;
    Reporter m_reporter;
    std::shared_ptr<TransferProgress> m_progress;
    QMutex m_resultMutex;
};

} // namespace moltdesk

#pragma once

#include <QHash>
#include <QWidget>
#include <functional>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace moltdesk {

// The running jobs in the status bar: one line per job with its progress and its own Cancel, in the
// order they started; a line goes when its job is unregistered or destroyed (as KDE's
// KStatusBarJobTracker does for KJobs). Any QObject can be a job: the strip only shows it.
class JobStatusStrip : public QWidget
{
    Q_OBJECT
public:
    struct JobLine
    {
        // Names tests and accessibility tools find: statusJob_<id>, statusText_<id>, statusCancel_<id>.
        QString id;
        QString cancelName;           // the Cancel button's accessible name, "Cancel sync development"
        std::function<void()> cancel; // asked once, when Cancel is pressed
    };
    explicit JobStatusStrip(QWidget *parent = nullptr);

    void registerJob(QObject *job, const JobLine &line);
    bool isRegistered(QObject *job) const { return m_lines.contains(job); }
    // The job's progress in words; kept as "… — cancelling…" once its Cancel was pressed.
    void setProgress(QObject *job, const QString &text);
    void unregisterJob(QObject *job);
    int jobCount() const { return int(m_lines.size()); }

private:
    struct Line
    {
        QWidget *widget = nullptr;
        QLabel *label = nullptr;
        QPushButton *cancel = nullptr;
    };
    void cancelJob(QObject *job, const std::function<void()> &cancel);

    QHBoxLayout *m_layout;
    QHash<QObject *, Line> m_lines;
};

} // namespace moltdesk

#pragma once

#include "AuditReport.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

class QFileSystemWatcher;

namespace moltdesk {

class Workspace;

// The files an audit depends on (profile, wrangler.jsonc, start script, .dev.vars files), watched so
// the window can say the verdict went stale and audit again. Editors often replace a file instead of
// writing it, which drops a file watch, so the directories are watched too and every signal is
// checked against what each file looked like (size, mtime, existence). `changed` comes once per burst.
class AuditWatch : public QObject
{
    Q_OBJECT
public:
    explicit AuditWatch(QObject *parent = nullptr);

    void setFiles(const QStringList &files);
    QStringList files() const { return m_state.keys(); }

Q_SIGNALS:
    void changed(const QStringList &files);

private:
    void onSignal();
    void flush();
    static QString stateOf(const QString &path);

    QFileSystemWatcher *m_watcher;
    QHash<QString, QString> m_state;
    QStringList m_pending;
    QTimer m_debounce;
};

// How the window shows a verdict: banner text, status-bar text, the banner's colours and state name.
struct VerdictView
{
    QString state; // "holds", "broken", "unverified"
    QString banner;
    QString statusText; // rich text
    QString css;
    QString tabSuffix; // "", " ✘", " ?"
};
VerdictView verdictView(const AuditReport &report);

} // namespace moltdesk

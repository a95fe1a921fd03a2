#include "AuditWatch.h"

#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QLocale>
#include <QSet>

namespace moltdesk {

AuditWatch::AuditWatch(QObject *parent) : QObject(parent), m_watcher(new QFileSystemWatcher(this))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &AuditWatch::onSignal);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &AuditWatch::onSignal);
    connect(&m_debounce, &QTimer::timeout, this, &AuditWatch::flush);
}

QString AuditWatch::stateOf(const QString &path)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return QStringLiteral("missing");
    return QStringLiteral("%1@%2").arg(fi.size()).arg(fi.lastModified().toMSecsSinceEpoch());
}

void AuditWatch::setFiles(const QStringList &files)
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    m_state.clear();
    QSet<QString> dirs;
    for (const QString &f : files) {
        m_state.insert(f, stateOf(f));
        if (QFileInfo::exists(f))
            m_watcher->addPath(f);
        dirs.insert(QFileInfo(f).absolutePath());
    }
    for (const QString &d : std::as_const(dirs)) {
        if (QFileInfo::exists(d))
            m_watcher->addPath(d);
    }
}

void AuditWatch::onSignal()
{
    for (auto it = m_state.begin(); it != m_state.end(); ++it) {
        const QString now = stateOf(it.key());
        if (now == it.value())
            continue;
        it.value() = now;
        if (!m_pending.contains(it.key()))
            m_pending << it.key();
        // A replaced file lost its watch: watch the new one.
        if (now != QLatin1String("missing") && !m_watcher->files().contains(it.key()))
            m_watcher->addPath(it.key());
    }
    if (!m_pending.isEmpty())
        m_debounce.start();
}

void AuditWatch::flush()
{
    const QStringList files = m_pending;
    m_pending.clear();
    if (!files.isEmpty())
        Q_EMIT changed(files);
}

VerdictView verdictView(const AuditReport &report)
{
    const auto plural = [](int n, const char *word) {
        return QStringLiteral("%1 %2%3").arg(n).arg(QLatin1String(word),
                                                    n == 1 ? QString() : QStringLiteral("s"));
    };
    QStringList notRun;
    for (const CheckStatus &st : report.checkStatuses()) {
        if (!st.ran)
            notRun << st.check;
    }
    VerdictView v;
    const int failures = report.count(Severity::Failure);
    const int warnings = report.count(Severity::Warning);
    switch (report.verdict()) {
    case Verdict::Broken:
        v.state = QStringLiteral("broken");
        v.banner = QStringLiteral("✘ Isolation broken: ") + plural(failures, "failure");
        v.css = QStringLiteral("background:#c62828; color:white; border-radius:4px;");
        v.statusText = QStringLiteral("<b style='color:#c62828'>✘ isolation broken: %1</b>").arg(failures);
        v.tabSuffix = QStringLiteral(" ✘");
        break;
    case Verdict::Unverified:
        v.state = QStringLiteral("unverified");
        v.banner = QStringLiteral("? Isolation unverified: not checked: %1")
                       .arg(notRun.isEmpty() ? QStringLiteral("the audit did not finish")
                                             : notRun.join(QStringLiteral(", ")));
        v.css = QStringLiteral("background:#616161; color:white; border-radius:4px;");
        v.statusText = QStringLiteral("<b style='color:#616161'>? isolation unverified</b>");
        v.tabSuffix = QStringLiteral(" ?");
        break;
    case Verdict::Holds:
        v.state = QStringLiteral("holds");
        v.banner = QStringLiteral("✔ Isolation holds");
        v.css = QStringLiteral("background:#2e7d32; color:white; border-radius:4px;");
        v.statusText = QStringLiteral("<b style='color:#2e7d32'>✔ isolation holds</b>");
        break;
    }
    if (warnings > 0)
        v.banner += QStringLiteral("  ·  ") + plural(warnings, "warning");
    if (!report.complete)
        v.banner += QStringLiteral("  ·  incomplete");
    v.banner += QStringLiteral("  ·  checked %1")
                    .arg(QLocale().toString(report.generated.toLocalTime().time(), QLocale::LongFormat));
    return v;
}

} // namespace moltdesk

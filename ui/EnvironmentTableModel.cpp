#include "EnvironmentTableModel.h"

#include "LastSync.h"
#include "Plan.h"

#include <QApplication>
#include <QFont>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

namespace moltdesk {

EnvironmentTableModel::EnvironmentTableModel(QObject *parent) : QAbstractTableModel(parent) {}

QColor EnvironmentTableModel::productionColor()
{
    return QColor(0xc6, 0x28, 0x28);
}

QIcon EnvironmentTableModel::healthIcon(Health h)
{
    QColor c;
    switch (h) {
    case Health::Ok:
        c = QColor(0x2e, 0x7d, 0x32);
        break;
    case Health::Warning:
        c = QColor(0xef, 0x8f, 0x00);
        break;
    case Health::Failure:
        c = QColor(0xc6, 0x28, 0x28);
        break;
    case Health::Unknown:
        c = QColor(0x9e, 0x9e, 0x9e);
        break;
    }
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(c.darker(130), 2));
    p.setBrush(c);
    if (h == Health::Warning) {
        const QPointF tri[3] = {{16, 3}, {30, 29}, {2, 29}};
        p.drawPolygon(tri, 3);
        p.setPen(QPen(Qt::white, 3.5));
        p.drawLine(QPointF(16, 11), QPointF(16, 20));
        p.drawPoint(QPointF(16, 25));
    } else {
        p.drawEllipse(QRectF(3, 3, 26, 26));
        p.setPen(QPen(Qt::white, 3.5, Qt::SolidLine, Qt::RoundCap));
        if (h == Health::Ok) {
            p.drawLine(QPointF(9, 16), QPointF(14, 21));
            p.drawLine(QPointF(14, 21), QPointF(23, 11));
        } else if (h == Health::Failure) {
            p.drawLine(QPointF(11, 11), QPointF(21, 21));
            p.drawLine(QPointF(21, 11), QPointF(11, 21));
        } else {
            p.drawPoint(QPointF(16, 16));
        }
    }
    p.end();
    return QIcon(pm);
}

void EnvironmentTableModel::setEnvironments(const QList<EnvironmentNames> &envs, int staleAfterHours)
{
    beginResetModel();
    m_rows.clear();
    for (const EnvironmentNames &e : envs) {
        Row row;
        row.names = e;
        m_rows << row;
    }
    m_staleAfterHours = staleAfterHours;
    endResetModel();
}

void EnvironmentTableModel::setUpdating(int row, bool updating)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].updating = updating;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void EnvironmentTableModel::setStatus(int row, const EnvironmentStatus &status)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].collected = status;
    m_rows[row].updating = false;
    join(m_rows[row]);
    rowChanged(row);
}

void EnvironmentTableModel::setDeploymentChecking(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].deploy = Row::Deploy::Checking;
    m_rows[row].deployment.reset();
    join(m_rows[row]);
    rowChanged(row);
}

void EnvironmentTableModel::setDeployment(int row, const std::optional<ContainerView> &view)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].deploy = Row::Deploy::Known;
    m_rows[row].deployment = view;
    join(m_rows[row]);
    rowChanged(row);
}

void EnvironmentTableModel::join(Row &r)
{
    r.status = r.collected;
    if (r.status && r.deployment)
        WorkerActions::joinInto(*r.status, *r.deployment);
}

void EnvironmentTableModel::rowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void EnvironmentTableModel::setNow(const QDateTime &now)
{
    m_now = now;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QDateTime EnvironmentTableModel::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

int EnvironmentTableModel::rowOf(const QString &displayName) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).names.displayName() == displayName || m_rows.at(i).names.environment == displayName)
            return i;
    return -1;
}

int EnvironmentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EnvironmentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool EnvironmentTableModel::isStale(const Row &r) const
{
    // An old legacy .last-sync is expected (nothing syncs there any more), not stale.
    return r.status && !r.names.isLegacy() && r.status->isStale(now(), m_staleAfterHours);
}

QString EnvironmentTableModel::text(const Row &r, int column) const
{
    const auto &s = r.status;
    switch (column) {
    case EnvironmentColumn:
        return r.names.isProduction() ? r.names.environment.toUpper() : r.names.displayName();
    case BucketColumn:
        return r.names.bucket;
    case MountColumn:
        return r.names.mountPath;
    case LastSyncColumn:
        if (!s)
            return r.updating ? QStringLiteral("updating…") : QString();
        switch (s->lastSyncState) {
        case EnvironmentStatus::LastSyncState::Valid:
            if (r.names.isLegacy())
                return QLocale().toString(s->lastSync.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm"));
            return LastSync::relativeAge(s->lastSync, now()) +
                   (isStale(r) ? QStringLiteral("  (stale)") : QString());
        case EnvironmentStatus::LastSyncState::Missing:
            // Upstream's rclone era writes no .last-sync: the newest object says when data last changed.
            return s->lastChange.isValid()
                       ? QStringLiteral("last change ") + LastSync::relativeAge(s->lastChange, now())
                       : QStringLiteral("never synced");
        case EnvironmentStatus::LastSyncState::Unreadable:
            return QStringLiteral("unreadable");
        case EnvironmentStatus::LastSyncState::Unknown:
            return s->error ? QStringLiteral("unreachable") : QStringLiteral("—");
        }
        return {};
    case ObjectsColumn:
        if (!s)
            return r.updating ? QStringLiteral("updating…") : QString();
        if (!s->listed)
            return QStringLiteral("—");
        return QStringLiteral("%1 · %2").arg(QLocale().toString(s->objects), formatBytes(s->bytes));
    case CredentialsColumn:
        if (!s)
            return r.updating ? QStringLiteral("updating…") : QString();
        return s->credentialText;
    case DeploymentColumn:
        return deploymentText(r);
    case HealthColumn:
        // Until the container's view is in, the join may still turn the row into a failure.
        if (r.updating || r.deploy == Row::Deploy::Checking)
            return QStringLiteral("updating…");
        if (!s)
            return QStringLiteral("not checked");
        if (s->error && s->problems.isEmpty())
            return s->error->message;
        if (s->problems.isEmpty())
            return healthName(s->health);
        return s->problems.first() + (s->problems.size() > 1
                                          ? QStringLiteral(" (+%1 more)").arg(s->problems.size() - 1)
                                          : QString());
    }
    return {};
}

QString EnvironmentTableModel::tooltip(const Row &r, int column) const
{
    const auto &s = r.status;
    switch (column) {
    case EnvironmentColumn:
        return r.names.isProduction() ? QStringLiteral("Production: actions ask for the name typed")
                                      : r.names.displayName();
    case LastSyncColumn:
        if (s && s->lastSyncState == EnvironmentStatus::LastSyncState::Valid)
            return s->lastSync.toUTC().toString(Qt::ISODate) +
                   (isStale(r) ? QStringLiteral("\nolder than %1 h: stale").arg(m_staleAfterHours)
                               : QString());
        if (s && s->lastSyncState == EnvironmentStatus::LastSyncState::Unreadable)
            return s->lastSyncError;
        return {};
    case ObjectsColumn:
        if (s && s->listed)
            return QStringLiteral("%1 objects, %2 bytes")
                .arg(QLocale().toString(s->objects), QLocale().toString(s->bytes));
        return {};
    case CredentialsColumn:
        if (s)
            return (s->missingCredentials.isEmpty()
                        ? s->credentialText
                        : QStringLiteral("missing: ") + s->missingCredentials.join(QStringLiteral(", "))) +
                   (s->notes.isEmpty() ? QString() : QLatin1Char('\n') + s->notes.join(QLatin1Char('\n')));
        return {};
    case DeploymentColumn:
        return deploymentTooltip(r);
    case HealthColumn: {
        if (!s)
            return {};
        QStringList lines{healthName(s->health)};
        lines += s->problems;
        if (s->error)
            lines << s->error->toString();
        return lines.join(QLatin1Char('\n'));
    }
    default:
        return text(r, column);
    }
}

namespace {
QString words(const QString &gatewayStatus)
{
    QString w = gatewayStatus;
    return w.replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString r2Text(const StorageState &st)
{
    if (st.configured)
        return QStringLiteral("R2 configured");
    return st.missing.isEmpty() ? QStringLiteral("R2 not configured")
                                : QStringLiteral("R2 missing ") + st.missing.join(QStringLiteral(", "));
}
} // namespace

Health EnvironmentTableModel::deploymentHealth(const Row &r) const
{
    if (r.deploy != Row::Deploy::Known || !r.deployment)
        return Health::Unknown;
    const ContainerView &v = *r.deployment;
    if (!v.problem.isEmpty())
        return Health::Failure;
    if (v.error || !v.gateway || !v.gateway->running() || !v.storage || !v.storage->configured)
        return Health::Warning;
    return Health::Ok;
}

QString EnvironmentTableModel::deploymentText(const Row &r) const
{
    switch (r.deploy) {
    case Row::Deploy::Unknown:
        return r.updating ? QStringLiteral("updating…") : QStringLiteral("not checked");
    case Row::Deploy::Checking:
        return QStringLiteral("checking…");
    case Row::Deploy::Known:
        break;
    }
    if (!r.deployment)
        return QStringLiteral("not checked — no worker configured");
    const ContainerView &v = *r.deployment;
    if (v.error)
        return QStringLiteral("not checked — ") + v.error->message;
    QStringList parts;
    if (!v.problem.isEmpty())
        parts << QStringLiteral("✘ backup not in the bucket");
    if (v.gateway)
        parts << QStringLiteral("gateway ") + words(v.gateway->status);
    if (v.storage) {
        parts << r2Text(*v.storage);
        const auto t = LastSync::parse(v.storage->lastSync.toUtf8());
        parts << (v.storage->lastSync.isEmpty() ? QStringLiteral("no backup yet")
                  : t ? QStringLiteral("synced ") + LastSync::relativeAge(t.value(), now())
                      : QStringLiteral("last sync unreadable"));
    }
    return parts.join(QStringLiteral(" · "));
}

QString EnvironmentTableModel::deploymentTooltip(const Row &r) const
{
    if (r.deploy != Row::Deploy::Known)
        return QStringLiteral("the container's view (gateway, R2, its last sync): %1").arg(deploymentText(r));
    if (!r.deployment)
        return QStringLiteral("Not checked: no worker is configured for %1. Add \"workers\" to the profile, "
                              "or \"workersDevSubdomain\" with a wrangler file (see the README).")
            .arg(r.names.displayName());
    const ContainerView &v = *r.deployment;
    QStringList lines;
    lines << QStringLiteral("worker: %1 (%2)").arg(v.endpoint.url.toString(), v.endpoint.source);
    if (v.error)
        lines << QStringLiteral("not checked: ") + v.error->toString();
    if (v.gateway)
        lines << QStringLiteral("gateway: %1%2")
                     .arg(words(v.gateway->status),
                          v.gateway->processId.isEmpty()
                              ? QString()
                              : QStringLiteral(" (process %1)").arg(v.gateway->processId));
    if (v.gateway && !v.gateway->error.isEmpty())
        lines << QStringLiteral("gateway error: ") + v.gateway->error;
    if (v.storage) {
        lines << r2Text(*v.storage);
        lines << QStringLiteral("container's last sync: %1")
                     .arg(v.storage->lastSync.isEmpty() ? QStringLiteral("none") : v.storage->lastSync);
    }
    if (r.status && r.status->lastSyncState == EnvironmentStatus::LastSyncState::Valid)
        lines << QStringLiteral("bucket's .last-sync: %1")
                     .arg(QString::fromUtf8(r.status->lastSyncRaw).trimmed());
    if (!v.problem.isEmpty())
        lines << QStringLiteral("✘ ") + v.problem;
    if (!v.note.isEmpty())
        lines << v.note;
    return lines.join(QLatin1Char('\n'));
}

QVariant EnvironmentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const int c = index.column();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return text(r, c);
    case Qt::ToolTipRole:
        return tooltip(r, c);
    case Qt::DecorationRole:
        if (c == HealthColumn)
            return healthIcon(r.status && r.deploy != Row::Deploy::Checking ? r.status->health
                                                                            : Health::Unknown);
        if (c == DeploymentColumn && r.deploy == Row::Deploy::Known)
            return healthIcon(deploymentHealth(r));
        if (c == LastSyncColumn && isStale(r))
            return healthIcon(Health::Warning);
        return {};
    case Qt::ForegroundRole:
        if (c == EnvironmentColumn && r.names.isProduction())
            return productionColor();
        if (c == CredentialsColumn && r.status && !r.status->missingCredentials.isEmpty())
            return productionColor();
        if (c == HealthColumn && r.status && r.status->health == Health::Failure)
            return productionColor();
        if (c == DeploymentColumn && deploymentHealth(r) == Health::Failure)
            return productionColor();
        if (r.names.isLegacy())
            return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::BackgroundRole:
        if (c == LastSyncColumn && isStale(r))
            return QColor(0xff, 0xb3, 0x00, 70);
        if (r.names.isProduction())
            return QColor(0xc6, 0x28, 0x28, 22);
        return {};
    case Qt::FontRole:
        if (c == EnvironmentColumn && r.names.isProduction()) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case SortRole:
        switch (c) {
        case LastSyncColumn:
            return r.status ? r.status->lastSync : QDateTime();
        case ObjectsColumn:
            return r.status ? r.status->objects : qint64(-1);
        case HealthColumn:
            return r.status ? int(r.status->health) : -1;
        default:
            return text(r, c);
        }
    case HealthRole:
        return r.status ? int(r.status->health) : int(Health::Unknown);
    case StaleRole:
        return isStale(r);
    case UpdatingRole:
        return r.updating || r.deploy == Row::Deploy::Checking;
    case DeploymentHealthRole:
        return int(deploymentHealth(r));
    case ProductionRole:
        return r.names.isProduction();
    case EnvironmentNameRole:
        return r.names.displayName();
    }
    return {};
}

QVariant EnvironmentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EnvironmentColumn:
        return QStringLiteral("Environment");
    case BucketColumn:
        return QStringLiteral("Bucket");
    case MountColumn:
        return QStringLiteral("Mount path");
    case LastSyncColumn:
        return QStringLiteral("Last sync");
    case ObjectsColumn:
        return QStringLiteral("Objects · size");
    case CredentialsColumn:
        return QStringLiteral("Credentials");
    case DeploymentColumn:
        return QStringLiteral("Deployment");
    case HealthColumn:
        return QStringLiteral("Health");
    }
    return {};
}

} // namespace moltdesk

#include "ActivityLogModel.h"

#include <QColor>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <algorithm>

namespace moltdesk {

ActivityLogModel::ActivityLogModel(QObject *parent) : QAbstractTableModel(parent) {}

void ActivityLogModel::setEntries(const QList<ActivityEntry> &oldestFirst)
{
    beginResetModel();
    m_entries = oldestFirst;
    std::reverse(m_entries.begin(), m_entries.end());
    endResetModel();
}

void ActivityLogModel::prepend(const ActivityEntry &entry)
{
    beginInsertRows({}, 0, 0);
    m_entries.prepend(entry);
    endInsertRows();
}

QStringList ActivityLogModel::profiles() const
{
    QStringList out;
    for (const ActivityEntry &e : m_entries)
        if (!out.contains(e.profile))
            out << e.profile;
    return out;
}

int ActivityLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ActivityLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ActivityLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ActivityEntry &e = m_entries.at(index.row());
    const bool bad =
        e.outcome == QLatin1String("failed") || e.outcome == QLatin1String("refused") || !e.errors.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(e.time.toLocalTime(), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case ProfileColumn:
            return e.profile.isEmpty() ? QStringLiteral("—") : QFileInfo(e.profile).fileName();
        case EnvironmentColumn:
            return e.environment;
        case FromIntoColumn:
            if (e.source.isEmpty() && e.target.isEmpty())
                return QString();
            return QStringLiteral("%1 → %2").arg(e.source.isEmpty() ? QStringLiteral("—") : e.source,
                                                 e.target.isEmpty() ? QStringLiteral("—") : e.target);
        case WhoColumn:
            return e.who;
        case ActionColumn:
            return e.action;
        case OutcomeColumn:
            return e.outcome;
        case SummaryColumn: {
            QString text = !e.resultSummary.isEmpty() ? e.resultSummary : e.planSummary;
            if (!e.overrides.isEmpty())
                text += QStringLiteral(" · overrides: ") + e.overrides.join(QStringLiteral(", "));
            return text;
        }
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ProfileColumn)
            return QDir::toNativeSeparators(e.profile);
        return e.details();
    case DetailsRole:
        return e.details();
    case ProfileRole:
        return e.profile;
    case Qt::ForegroundRole:
        if (bad)
            return QColor(0xc6, 0x28, 0x28);
        return {};
    }
    return {};
}

QVariant ActivityLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return QStringLiteral("Time");
    case ProfileColumn:
        return QStringLiteral("Profile");
    case EnvironmentColumn:
        return QStringLiteral("Environment");
    case FromIntoColumn:
        return QStringLiteral("From → into");
    case WhoColumn:
        return QStringLiteral("Who");
    case ActionColumn:
        return QStringLiteral("Action");
    case OutcomeColumn:
        return QStringLiteral("Outcome");
    case SummaryColumn:
        return QStringLiteral("Summary");
    }
    return {};
}

void ActivityFilterProxy::setProfile(const QString &profile)
{
    if (profile == m_profile && profile.isNull() == m_profile.isNull())
        return;
    m_profile = profile;
    invalidateFilter();
}

QList<ActivityEntry> ActivityFilterProxy::shownEntries() const
{
    QList<ActivityEntry> out;
    auto *log = qobject_cast<ActivityLogModel *>(sourceModel());
    for (int r = 0; log && r < rowCount(); ++r)
        out << log->entry(mapToSource(index(r, 0)).row());
    return out;
}

bool ActivityFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_profile.isNull() &&
        sourceModel()->index(sourceRow, 0, sourceParent).data(ActivityLogModel::ProfileRole).toString() !=
            m_profile)
        return false;
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace moltdesk

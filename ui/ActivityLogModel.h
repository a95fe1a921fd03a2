#pragma once

#include "ActivityLog.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace moltdesk {

// The activity log, newest first: an audit trail (who, which profile, from where into where, the plan,
// the overrides and the outcome of every action).
class ActivityLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        ProfileColumn,
        EnvironmentColumn,
        ActionColumn,
        OutcomeColumn,
        FromIntoColumn,
        WhoColumn,
        SummaryColumn,
        ColumnCount
    };
    enum Roles { DetailsRole = Qt::UserRole + 1, ProfileRole };
    explicit ActivityLogModel(QObject *parent = nullptr);

    void setEntries(const QList<ActivityEntry> &oldestFirst);
    void prepend(const ActivityEntry &entry);
    const ActivityEntry &entry(int row) const { return m_entries.at(row); }
    // The profiles the entries name (absolute paths, "" for entries from before profiles were logged).
    QStringList profiles() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ActivityEntry> m_entries; // newest first
};

// The log as the Log tab shows it: one profile's entries (or all), matching a text filter anywhere.
class ActivityFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    // Null: every profile; else only entries of that profile path.
    void setProfile(const QString &profile);
    QString profile() const { return m_profile; }
    QList<ActivityEntry> shownEntries() const; // newest first, as shown

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_profile;
};

} // namespace moltdesk

#pragma once

#include "ActivityLog.h"

#include <QAbstractTableModel>

namespace moltdesk {

// The activity log, newest first.
class ActivityLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, EnvironmentColumn, ActionColumn, OutcomeColumn, SummaryColumn, ColumnCount };
    enum Roles { DetailsRole = Qt::UserRole + 1 };
    explicit ActivityLogModel(QObject *parent = nullptr);

    void setEntries(const QList<ActivityEntry> &oldestFirst);
    void prepend(const ActivityEntry &entry);
    const ActivityEntry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ActivityEntry> m_entries; // newest first
};

} // namespace moltdesk

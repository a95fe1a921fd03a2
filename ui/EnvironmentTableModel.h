#pragma once

#include "EnvironmentStatus.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <optional>

namespace moltdesk {

// The environments table: one row per environment of the workspace (named ones, then legacy),
// filled in by background status collection. A row shows "updating…" while its collection runs.
class EnvironmentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        EnvironmentColumn,
        BucketColumn,
        MountColumn,
        LastSyncColumn,
        ObjectsColumn,
        CredentialsColumn,
        HealthColumn,
        ColumnCount
    };
    enum Roles {
        SortRole = Qt::UserRole + 1,
        HealthRole,
        StaleRole,
        UpdatingRole,
        ProductionRole,
        EnvironmentNameRole
    };

    explicit EnvironmentTableModel(QObject *parent = nullptr);

    void setEnvironments(const QList<EnvironmentNames> &envs, int staleAfterHours);
    void setUpdating(int row, bool updating);
    void setStatus(int row, const EnvironmentStatus &status);
    // For tests and the clock: "now" used for relative times (invalid: the current time).
    void setNow(const QDateTime &now);

    const EnvironmentNames &names(int row) const { return m_rows.at(row).names; }
    const std::optional<EnvironmentStatus> &status(int row) const { return m_rows.at(row).status; }
    bool isUpdating(int row) const { return m_rows.at(row).updating; }
    int rowOf(const QString &displayName) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QColor productionColor();
    static QIcon healthIcon(Health h);

private:
    struct Row
    {
        EnvironmentNames names;
        std::optional<EnvironmentStatus> status;
        bool updating = false;
    };
    QDateTime now() const;
    bool isStale(const Row &r) const;
    QString text(const Row &r, int column) const;
    QString tooltip(const Row &r, int column) const;

    QList<Row> m_rows;
    int m_staleAfterHours = 24;
    QDateTime m_now;
};

} // namespace moltdesk

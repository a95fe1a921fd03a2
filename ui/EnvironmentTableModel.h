#pragma once

#include "EnvironmentStatus.h"
#include "WorkerActions.h"

#include <QAbstractTableModel>
#include <QIcon>
#include <optional>

namespace moltdesk {

// The environments table: one row per environment of the workspace (named ones, then legacy),
// filled in by background status collection. A row shows "updating…" while its collection runs.
// The Deployment column is the container's view (gateway, R2, its last sync), fetched separately
// so a slow worker never holds up the bucket's columns; once both have arrived the row is joined
// with it by the core's rule (WorkerActions::joinInto), the same as `moltctl status`.
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
        DeploymentColumn,
        HealthColumn,
        ColumnCount
    };
    enum Roles {
        SortRole = Qt::UserRole + 1,
        HealthRole,
        StaleRole,
        UpdatingRole,
        ProductionRole,
        EnvironmentNameRole,
        DeploymentHealthRole // the Deployment column's own state (Health as int)
    };

    explicit EnvironmentTableModel(QObject *parent = nullptr);

    void setEnvironments(const QList<EnvironmentNames> &envs, int staleAfterHours);
    void setUpdating(int row, bool updating);
    void setStatus(int row, const EnvironmentStatus &status);
    // The container's view is being fetched / has arrived (nullopt: no worker is configured).
    void setDeploymentChecking(int row);
    void setDeployment(int row, const std::optional<ContainerView> &view);
    // For tests and the clock: "now" used for relative times (invalid: the current time).
    void setNow(const QDateTime &now);

    const EnvironmentNames &names(int row) const { return m_rows.at(row).names; }
    const std::optional<EnvironmentStatus> &status(int row) const { return m_rows.at(row).status; }
    bool isUpdating(int row) const { return m_rows.at(row).updating; }
    // The container's view once fetched, joined with the row (nullopt: none yet, or no worker).
    const std::optional<ContainerView> &deployment(int row) const { return m_rows.at(row).deployment; }
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
        std::optional<EnvironmentStatus> status;    // as shown: collected, then joined
        std::optional<EnvironmentStatus> collected; // as the collector returned it
        bool updating = false;
        enum class Deploy { Unknown, Checking, Known } deploy = Deploy::Unknown;
        std::optional<ContainerView> deployment; // when Known: nullopt means no worker is configured
    };
    static void join(Row &r);
    Health deploymentHealth(const Row &r) const;
    QString deploymentText(const Row &r) const;
    QString deploymentTooltip(const Row &r) const;
    void rowChanged(int row);
    QDateTime now() const;
    bool isStale(const Row &r) const;
    QString text(const Row &r, int column) const;
    QString tooltip(const Row &r, int column) const;

    QList<Row> m_rows;
    int m_staleAfterHours = 24;
    QDateTime m_now;
};

} // namespace moltdesk

#pragma once

#include "StorageBackend.h"

#include <QAbstractItemModel>
#include <QHash>
#include <memory>
#include <vector>

namespace moltdesk {

// A lazy tree of a bucket, folder by folder: each prefix is listed with "/" as delimiter the first
// time it is expanded (canFetchMore/fetchMore). Listing runs on the backend's own threads; the
// result is applied on the model's thread. Errors show as a row under the prefix they concern.
// Beside it, one full listing (no delimiter) gives every folder its object count and size and lets
// a name filter search the whole bucket (a flat list of matching keys). Children are in natural
// order (QCollator, numeric): folders first, then `blob2` before `blob10`.
class BucketBrowserModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ObjectsColumn, ModifiedColumn, ColumnCount };
    enum Roles { KeyRole = Qt::UserRole + 1, IsPrefixRole, SizeRole, ObjectsRole };
    struct Totals
    {
        qint64 objects = 0;
        qint64 bytes = 0;
    };

    explicit BucketBrowserModel(QObject *parent = nullptr);
    ~BucketBrowserModel() override;

    // Replaces the browsed bucket (nullptr: empty, with `placeholder` shown as the only row).
    void setBackend(std::shared_ptr<StorageBackend> backend, const QString &placeholder = {});
    bool isLoading() const { return m_pending > 0; }
    std::shared_ptr<StorageBackend> backend() const { return m_backend; }
    // Everything under a prefix ("" for the bucket), once the full listing is in.
    bool hasTotals() const { return m_totalsReady; }
    Totals totals(const QString &prefix) const { return m_totals.value(prefix); }
    // Non-empty: a flat list of the keys containing `text` (case-insensitive); empty: the tree again.
    void setNameFilter(const QString &text);
    QString nameFilter() const { return m_filter; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    void totalsChanged();

private:
    struct Node
    {
        Node *parent = nullptr;
        QString name; // last path segment, "clawdbot/" for a prefix
        QString key;  // full key or prefix
        bool isPrefix = false;
        bool isMessage = false; // "loading…" / an error
        qint64 size = -1;
        QDateTime modified;
        bool fetched = false;
        bool fetching = false;
        std::vector<std::unique_ptr<Node>> children;
        int rowInParent = 0; // set when placed under `parent`: a view asks for rows all the time
        int row() const;
    };
    // A folder's rows, made and sorted off the model's thread (shared: a future's result is copied).
    using Rows = std::shared_ptr<std::vector<std::unique_ptr<Node>>>;
    static Rows rowsOf(const QString &prefix, const Result<Listing> &listing);
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node) const;
    void applyListing(Node *node, quint64 generation, const Rows &rows);
    void fetchTotals();
    void applyTotals(quint64 generation, const Result<Listing> &listing);
    void resetRoot();
    void notifyTotals(Node *node);
    void showFiltered();
    static void sortNaturally(std::vector<std::unique_ptr<Node>> &nodes);

    std::shared_ptr<StorageBackend> m_backend;
    std::unique_ptr<Node> m_root;
    quint64 m_generation = 0;
    int m_pending = 0;
    QHash<QString, Totals> m_totals; // per prefix, "" for the whole bucket
    QList<ObjectInfo> m_all;         // the full listing, for the name filter
    bool m_totalsReady = false;
    QString m_filter;
};

} // namespace moltdesk

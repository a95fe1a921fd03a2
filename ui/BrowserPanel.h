#pragma once

#include "ActivityLog.h"
#include "BucketBrowserModel.h"

#include <QDialog>
#include <QWidget>

class QLabel;
class QLineEdit;
class QThreadPool;
class QTreeView;

namespace moltdesk {

// The Contents tab: the lazy tree of a bucket (BucketBrowserModel) with a name filter over the whole
// bucket, folder sizes and counts, the selected object's details (a HEAD through the backend), a
// read-only text viewer, Download… for a file or a folder and Restore this file/folder…. Every
// storage call runs on the backend's threads or on the window's work pool; the UI thread only shows.
class BrowserPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr qint64 kMaxViewBytes = 2 * 1024 * 1024;

    BrowserPanel(QThreadPool *pool, QWidget *parent = nullptr);

    BucketBrowserModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    // The environment shown (for the activity log and titles).
    void setEnvironmentName(const QString &name) { m_environment = name; }

    void downloadCurrent();
    void viewCurrent();

Q_SIGNALS:
    void restoreRequested(const QString &keyOrPrefix);
    void activity(const moltdesk::ActivityEntry &entry);
    void message(const QString &text);
    void downloadFinished(const QString &summary);
    void detailsShown(const QString &key);

private:
    void buildActions();
    void sizeValueColumns();
    QString currentKey() const;
    bool currentIsPrefix() const;
    void showDetails();
    void showObjectDetails(const QString &key);
    void showText(const QString &key, const Result<QByteArray> &bytes);

    QThreadPool *m_pool;
    BucketBrowserModel *m_model;
    QLineEdit *m_filter;
    QTreeView *m_view;
    QLabel *m_details;
    QString m_environment;
    quint64 m_detailsGeneration = 0;
};

// A read-only view of one object's text (the browser's "Open in Viewer").
class TextViewerDialog : public QDialog
{
    Q_OBJECT
public:
    TextViewerDialog(const QString &key, const QString &text, QWidget *parent = nullptr);
};

} // namespace moltdesk

// What every window test repeats: small file helpers and the MainWindow they all open the same way.
#pragma once

#include "ActionDialog.h"
#include "MainWindow.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <memory>

namespace guitest {

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Creates the parent folders; replaces what was there.
inline bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// The row of parent named name in column 0; invalid when there is none (yet).
inline QModelIndex childNamed(const QAbstractItemModel *model, const QModelIndex &parent, const QString &name)
{
    for (int r = 0; r < model->rowCount(parent); ++r)
        if (model->index(r, 0, parent).data().toString() == name)
            return model->index(r, 0, parent);
    return {};
}

// The activity log goes into the test's own folder, and no keychain: there is no secret service in CI,
// and mount mode needs no keys. Not shown yet, so a test can attach model testers first.
inline std::unique_ptr<moltdesk::MainWindow> makeWindow(const QTemporaryDir &tmp)
{
    moltdesk::MainWindow::Options o;
    o.activityLogPath = tmp.filePath(QStringLiteral("activity.jsonl"));
    o.useKeychain = false;
    return std::make_unique<moltdesk::MainWindow>(o);
}

// Dialogs a test left open go before the window, whose models and jobs they still point at.
template <typename Dialog = moltdesk::ActionDialog>
void closeDialogs(const std::unique_ptr<moltdesk::MainWindow> &window)
{
    if (!window)
        return;
    const auto dialogs = window->findChildren<Dialog *>();
    for (Dialog *d : dialogs)
        delete d;
}

inline void closeWindow(std::unique_ptr<moltdesk::MainWindow> &window)
{
    closeDialogs(window);
    window.reset();
}

} // namespace guitest

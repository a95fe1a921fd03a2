#include "FileDialog.h"

#include <QFileDialog>

namespace moltdesk::FileDialog {

namespace {
// Only tests set it, before the window asks; the UI thread alone reads it.
QString &presetStorage()
{
    static QString answer;
    return answer;
}
} // namespace

void presetAnswer(const QString &answer)
{
    presetStorage() = answer;
}

QString existingDirectory(QWidget *parent, const QString &title, const QString &dir)
{
    if (!presetStorage().isEmpty())
        return presetStorage();
    return QFileDialog::getExistingDirectory(parent, title, dir);
}

QString openFileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter)
{
    if (!presetStorage().isEmpty())
        return presetStorage();
    return QFileDialog::getOpenFileName(parent, title, dir, filter);
}

QString saveFileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter)
{
    if (!presetStorage().isEmpty())
        return presetStorage();
    return QFileDialog::getSaveFileName(parent, title, dir, filter);
}

} // namespace moltdesk::FileDialog

#pragma once

#include <QString>

class QWidget;

namespace moltdesk {

// The window's file and folder choosers behind one seam: a test presets the answer, so no modal
// dialog blocks it and the window keeps no test-only setters (KeePassXC's FileDialog::setNextFileName).
namespace FileDialog {

QString existingDirectory(QWidget *parent, const QString &title, const QString &dir);
QString openFileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter);
QString saveFileName(QWidget *parent, const QString &title, const QString &dir, const QString &filter);

// Every chooser answers `answer` without showing until preset again; an empty string shows them again.
void presetAnswer(const QString &answer);

} // namespace FileDialog

} // namespace moltdesk

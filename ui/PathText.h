#pragma once

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QString>

namespace moltdesk {

// A path in a word-wrapping label: with a zero-width space after each separator it breaks at a '/'
// rather than in the middle of a name; the tooltip and "Copy" carry the text as it really is.
inline void setPathText(QLabel *label, const QString &text)
{
    QString shown = text;
    shown.replace(QLatin1Char('/'), QStringLiteral("/\u200B"));
    label->setText(shown);
    label->setToolTip(text);
    label->setProperty("plainText", text);
    if (label->actions().isEmpty()) {
        auto *copy = new QAction(QStringLiteral("&Copy"), label);
        copy->setObjectName(QStringLiteral("copyPathAction"));
        QObject::connect(copy, &QAction::triggered, label, [label]() {
            QGuiApplication::clipboard()->setText(label->property("plainText").toString());
        });
        label->addAction(copy);
        label->setContextMenuPolicy(Qt::ActionsContextMenu);
    }
}

} // namespace moltdesk

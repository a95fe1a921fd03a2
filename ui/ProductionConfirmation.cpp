#include "ProductionConfirmation.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace moltdesk {

ProductionConfirmation::ProductionConfirmation(const QString &environment, QWidget *parent)
    : QWidget(parent), m_environment(environment), m_edit(new QLineEdit(this))
{
    setObjectName(QStringLiteral("productionConfirmation"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(
        QStringLiteral("<b style='color:#c62828'>This is production.</b> Type <b>%1</b> to <u>c</u>onfirm:")
            .arg(environment.toHtmlEscaped()),
        this);
    label->setTextFormat(Qt::RichText);
    m_edit->setObjectName(QStringLiteral("confirmEdit"));
    m_edit->setAccessibleName(QStringLiteral("Type the environment name to confirm"));
    m_edit->setPlaceholderText(environment);
    // Rich text has no mnemonics (an "&" would show as such): Alt+C is a shortcut of its own.
    label->setBuddy(m_edit);
    auto *focus = new QShortcut(QKeySequence(Qt::ALT | Qt::Key_C), this);
    connect(focus, &QShortcut::activated, m_edit, qOverload<>(&QWidget::setFocus));
    layout->addWidget(label);
    layout->addWidget(m_edit, 1);
    connect(m_edit, &QLineEdit::textChanged, this, [this]() { Q_EMIT confirmedChanged(isConfirmed()); });
}

bool ProductionConfirmation::isConfirmed() const
{
    return m_edit->text() == m_environment;
}

QString ProductionConfirmation::typed() const
{
    return m_edit->text();
}

void ProductionConfirmation::focusField()
{
    m_edit->setFocus();
}

void ProductionConfirmation::setLocked(bool locked)
{
    m_edit->setEnabled(!locked);
}

ProductionConfirmDialog::ProductionConfirmDialog(const QString &title, const QString &question,
                                                 const QString &environment, QWidget *parent)
    : QDialog(parent), m_confirmation(new ProductionConfirmation(environment, this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("productionConfirmDialog"));
    setWindowTitle(title);
    auto *text = new QLabel(question, this);
    text->setWordWrap(true);
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("confirmOkButton"));
    ok->setEnabled(false);
    connect(m_confirmation, &ProductionConfirmation::confirmedChanged, ok, &QPushButton::setEnabled);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_confirmation);
    layout->addWidget(m_buttons);
    m_confirmation->focusField();
}

} // namespace moltdesk

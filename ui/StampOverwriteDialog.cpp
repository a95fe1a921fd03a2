#include "StampOverwriteDialog.h"

#include "BucketNaming.h"
#include "ProductionConfirmation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace moltdesk {

StampOverwriteDialog::StampOverwriteDialog(const EnvironmentNames &env, const QString &problem,
                                           QWidget *parent)
    : QDialog(parent),
      m_overwrite(new QCheckBox(
          QStringLiteral("&Replace the unreadable marker with %1's").arg(env.displayName()), this))
{
    setObjectName(QStringLiteral("stampOverwriteDialog"));
    setWindowTitle(QStringLiteral("Unreadable identity marker"));
    auto *text = new QLabel(
        QStringLiteral("%1\n\nThe marker was not changed. Look at it first: if %2 really is %3's bucket, "
                       "replace it.")
            .arg(problem, env.bucket, env.displayName()),
        this);
    text->setWordWrap(true);
    m_overwrite->setObjectName(QStringLiteral("overwriteMarkerCheck"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setObjectName(QStringLiteral("overwriteOkButton"));
    m_ok->setText(QStringLiteral("Replace"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_overwrite);
    if (env.isProduction()) {
        m_confirmation = new ProductionConfirmation(env.environment, this);
        layout->addWidget(m_confirmation);
        connect(m_confirmation, &ProductionConfirmation::confirmedChanged, this,
                &StampOverwriteDialog::updateOk);
    }
    layout->addWidget(buttons);
    connect(m_overwrite, &QCheckBox::toggled, this, &StampOverwriteDialog::updateOk);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateOk();
}

void StampOverwriteDialog::updateOk()
{
    m_ok->setEnabled(m_overwrite->isChecked() && (!m_confirmation || m_confirmation->isConfirmed()));
}

QString StampOverwriteDialog::confirmation() const
{
    return m_confirmation ? m_confirmation->typed() : QString();
}

} // namespace moltdesk

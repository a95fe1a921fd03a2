#include "JobStatusStrip.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace moltdesk {

JobStatusStrip::JobStatusStrip(QWidget *parent) : QWidget(parent), m_layout(new QHBoxLayout(this))
{
    setObjectName(QStringLiteral("jobStrip"));
    setAccessibleName(QStringLiteral("Running jobs"));
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->addStretch(1);
}

void JobStatusStrip::registerJob(QObject *job, const JobLine &jobLine)
{
    if (m_lines.contains(job))
        return;
    Line line;
    line.widget = new QWidget(this);
    line.widget->setObjectName(QStringLiteral("statusJob_") + jobLine.id);
    auto *l = new QHBoxLayout(line.widget);
    l->setContentsMargins(0, 0, 12, 0);
    line.label = new QLabel(line.widget);
    line.label->setObjectName(QStringLiteral("statusText_") + jobLine.id);
    l->addWidget(line.label);
    line.cancel = new QPushButton(QStringLiteral("Cancel"), line.widget);
    line.cancel->setObjectName(QStringLiteral("statusCancel_") + jobLine.id);
    line.cancel->setAccessibleName(jobLine.cancelName);
    line.cancel->setFlat(true);
    l->addWidget(line.cancel);
    connect(line.cancel, &QPushButton::clicked, this,
            [this, job, cancel = jobLine.cancel]() { cancelJob(job, cancel); });
    connect(job, &QObject::destroyed, this, [this, job]() { unregisterJob(job); });
    // Before the trailing stretch, so lines stay left-aligned in start order.
    m_layout->insertWidget(m_layout->count() - 1, line.widget);
    line.widget->show();
    m_lines.insert(job, line);
}

void JobStatusStrip::setProgress(QObject *job, const QString &text)
{
    const auto it = m_lines.constFind(job);
    if (it != m_lines.cend() && it->cancel->isEnabled())
        it->label->setText(text);
}

void JobStatusStrip::unregisterJob(QObject *job)
{
    const Line line = m_lines.take(job);
    delete line.widget;
}

void JobStatusStrip::cancelJob(QObject *job, const std::function<void()> &cancel)
{
    const auto it = m_lines.constFind(job);
    if (it == m_lines.cend())
        return;
    it->cancel->setEnabled(false);
    it->label->setText(it->label->text() + QStringLiteral(" — cancelling…"));
    if (cancel)
        cancel();
}

} // namespace moltdesk

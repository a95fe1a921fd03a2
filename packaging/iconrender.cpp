// moltdesk-iconrender: renders the app's SVG icon into the hicolor PNG sizes at build time, with the
// same renderer the app uses (QtSvg), so no image tool is needed and the output depends only on the
// SVG and Qt. Not installed. Usage: moltdesk-iconrender SVG OUTDIR SIZE...
// writes OUTDIR/<SIZE>x<SIZE>/apps/moltdesk.png.
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <cstdio>

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fputs("usage: moltdesk-iconrender SVG OUTDIR SIZE...\n", stderr);
        return 2;
    }
    QSvgRenderer svg(args.at(1));
    if (!svg.isValid()) {
        std::fprintf(stderr, "moltdesk-iconrender: %s is not a valid SVG\n", qPrintable(args.at(1)));
        return 1;
    }
    for (qsizetype i = 3; i < args.size(); ++i) {
        bool ok = false;
        const int size = args.at(i).toInt(&ok);
        if (!ok || size < 8 || size > 1024) {
            std::fprintf(stderr, "moltdesk-iconrender: bad size %s\n", qPrintable(args.at(i)));
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(args.at(2)).arg(size);
        const QString file = dir + QStringLiteral("/moltdesk.png");
        if (!QDir().mkpath(dir) || !image.save(file, "PNG")) {
            std::fprintf(stderr, "moltdesk-iconrender: cannot write %s\n", qPrintable(file));
            return 1;
        }
    }
    return 0;
}

// moltdesk-floor: the transfer floor bench/run.sh measures moltctl against. The same objects as the
// standard tree, moved with the least client work the project's own S3 transport allows: no listing, no
// plan, no hashing (PUT bodies are sent with UNSIGNED-PAYLOAD and no Content-MD5), no verification, no
// staging, no .last-sync; only N requests kept in flight. What is left is the transport itself (SigV4
// headers, Qt's HTTP stack, the streamed MD5 every download gets) and the server.
//   moltdesk-floor put  BUCKET TREE [-j N]          PUT every file of TREE under its relative path
//   moltdesk-floor get  BUCKET TREE OUT [-j N]      GET the same keys into OUT
//   moltdesk-floor copy BUCKET TREE DEST [-j N]     CopyObject the same keys into bucket DEST
// S3_ENDPOINT, S3_KEY, S3_SECRET from the environment (never printed). Prints "N objects, F failed".
#include "S3Transport.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QSemaphore>
#include <QTextStream>
#include <atomic>
#include <cstdio>

using namespace moltdesk;

namespace {

struct Options
{
    QString mode, bucket, tree, out;
    int jobs = 16;
};

QStringList keysOf(const QString &tree)
{
    QStringList keys;
    QDirIterator it(tree, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    const QDir root(tree);
    while (it.hasNext())
        keys << root.relativeFilePath(it.next());
    keys.sort();
    return keys;
}

HttpCall callFor(const Options &o, const QString &key)
{
    HttpCall c;
    c.bucket = o.bucket;
    c.key = key;
    if (o.mode == QLatin1String("put")) {
        c.method = "PUT";
        c.bodyFile = o.tree + QLatin1Char('/') + key;
        c.payloadHash = "UNSIGNED-PAYLOAD";
    } else if (o.mode == QLatin1String("get")) {
        c.method = "GET";
        c.downloadTo = o.out + QLatin1Char('/') + key;
        c.maxBodyBytes = 1LL << 40;
    } else {
        c.method = "PUT";
        c.bucket = o.out;
        c.headers = {{"x-amz-copy-source", SigV4::encodeKeyPath(o.bucket, key)},
                     {"x-amz-metadata-directive", "COPY"}};
    }
    return c;
}

// Keeps `jobs` requests in flight: each answer, on the network thread, sends the next key.
class Pump
{
public:
    Pump(S3Transport &t, const Options &o, QStringList keys) : m_t(t), m_o(o), m_keys(std::move(keys)) {}
    int run()
    {
        if (m_keys.isEmpty())
            return 0;
        for (int i = 0; i < m_o.jobs; ++i)
            next();
        m_done.acquire();
        return m_failed.load();
    }

private:
    void next()
    {
        const int i = m_next++;
        if (i >= m_keys.size())
            return;
        m_t.send(callFor(m_o, m_keys.at(i))).then(QtFuture::Launch::Sync, [this, i](const HttpReply &r) {
            if (!r.ok()) {
                ++m_failed;
                std::fprintf(stderr, "failed: %s: HTTP %d %s\n", qPrintable(m_keys.at(i)), r.status,
                             qPrintable(r.networkErrorText));
            }
            if (++m_finished == m_keys.size())
                m_done.release();
            next();
        });
    }

    S3Transport &m_t;
    const Options &m_o;
    const QStringList m_keys;
    std::atomic<int> m_next{0}, m_finished{0}, m_failed{0};
    QSemaphore m_done;
};

bool parse(const QStringList &args, Options &o)
{
    QStringList pos;
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("-j") && i + 1 < args.size())
            o.jobs = qMax(1, args[++i].toInt());
        else
            pos << args[i];
    }
    if (pos.size() < 3)
        return false;
    o.mode = pos[0];
    o.bucket = pos[1];
    o.tree = QDir(pos[2]).absolutePath();
    o.out = pos.value(3);
    if (o.mode == QLatin1String("put"))
        return pos.size() == 3;
    return (o.mode == QLatin1String("get") || o.mode == QLatin1String("copy")) && pos.size() == 4;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Options o;
    if (!parse(app.arguments(), o)) {
        std::fprintf(stderr, "usage: moltdesk-floor put BUCKET TREE | get BUCKET TREE OUT | copy BUCKET TREE "
                             "DEST [-j N]\n");
        return 2;
    }
    S3Config cfg;
    cfg.endpoint = QUrl(qEnvironmentVariable("S3_ENDPOINT"));
    cfg.accessKeyId = qEnvironmentVariable("S3_KEY");
    cfg.secretAccessKey = qEnvironmentVariable("S3_SECRET");
    cfg.lanes = (o.jobs + 5) / 6; // each manager opens at most 6 connections to a host
    const QStringList keys = keysOf(o.tree);
    if (o.mode == QLatin1String("get")) {
        for (const QString &k : keys)
            QDir().mkpath(QFileInfo(o.out + QLatin1Char('/') + k).absolutePath());
    }
    S3Transport transport(cfg);
    QElapsedTimer clock;
    clock.start();
    const int failed = Pump(transport, o, keys).run();
    std::printf("%s: %lld objects, %d failed, %lld ms, -j %d\n", qPrintable(o.mode), qlonglong(keys.size()),
                failed, qlonglong(clock.elapsed()), o.jobs);
    return failed == 0 ? 0 : 1;
}

# The Debian package: moltdesk_<version>_amd64.deb. Its dependencies are computed by dpkg-shlibdeps
# from the binaries (never written by hand); the S3 test server and the benchmark peers are tools of
# the tests, not of the package. s3fs is only suggested: mount-mode profiles read a mounted bucket.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME moltdesk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Moltdesk developers")
set(CPACK_PACKAGE_CONTACT "${MOLTDESK_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see and act on R2 environment isolation for Moltbot/OpenClaw")
# The extended description; CPack puts the summary above it as the synopsis line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Moltdesk is a desktop app (moltdesk) and its command-line twin (moltctl) for
the operators of Moltbot/OpenClaw deployments on Cloudflare, where every
environment keeps its data in its own R2 bucket mounted at its own path.
.
For every environment they show the bucket, mount path, last sync and what
the bucket holds, run sync (backup), restore and the migration of the legacy
bucket, each planned first, and audit the isolation between environments.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MOLTDESK_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${MOLTDESK_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The one dependency dpkg-shlibdeps cannot see: the window's SVG icons are drawn by QtSvg's icon-engine
# and image-format plugins, which Qt loads at run time (libqt6svg6 holds them), not linked ones.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6 (>= 6.4)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "s3fs")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# Only the programs and the data above: the tests and tools are not installed at all, and the
# package holds no folder it does not own (lintian: e.g. /usr/share/man without pages in it is fine,
# it belongs to man-db's hierarchy).
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

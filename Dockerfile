# The planning office's workspace (saoreport serve) in a container, for offices whose computers
# run Windows or macOS: Docker Desktop (or Podman) runs it; colleagues open it in any browser.
#
#   docker build -t saoreport .
#   docker run --init -p 8000:8000 -v "$PWD:/office" saoreport
#
# then open http://localhost:8000/ . The folder mounted at /office holds plans/ (the plan
# folders, the source of truth), archive/ and build/, exactly as the command line uses them;
# the container keeps nothing of its own. README, "The workspace in the browser".
FROM debian:bookworm-slim

# Python 3.11, Pango with HarfBuzz and libthai (WeasyPrint's layout of Thai), HarfBuzz's
# subsetter (the same PDF bytes as on any other machine), fonts for the browser's own text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      python3 python3-venv ca-certificates \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libthai0 \
      fontconfig fonts-tlwg-laksaman-ttf \
 && rm -rf /var/lib/apt/lists/*

# The package (its Sarabun font comes with it, fontpkg-sarabun) in a virtual environment.
COPY pyproject.toml README.md /src/
COPY src /src/src
COPY templates /src/templates
COPY fonts /src/fonts
RUN python3 -m venv /opt/saoreport \
 && /opt/saoreport/bin/pip install --no-cache-dir /src \
 && rm -rf /src

# A licensed TH Sarabun New (settings.font: th-sarabun-new) may be mounted here.
ENV SAOREPORT_FONT_DIR=/fonts PATH=/opt/saoreport/bin:$PATH PYTHONUNBUFFERED=1
WORKDIR /office
VOLUME /office
EXPOSE 8000
# Inside the container it listens on every address; `-p 8000:8000` publishes it on the host
# (`-p 127.0.0.1:8000:8000`: this computer only).
CMD ["saoreport", "serve", "--host", "0.0.0.0", "--port", "8000"]

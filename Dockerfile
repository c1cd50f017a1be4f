# syntax=docker/dockerfile:1
# Multi-stage build: restore from project files first (cached layer), build, run the tests as a stage, publish,
# then a small runtime image with time-zone data, a font for the charts, a non-root user, a data volume and a health check.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ReadingBot.sln ./
COPY src/*/*.csproj ./src-projects/
COPY tests/*/*.csproj ./test-projects/
COPY bench/*/*.csproj ./bench-projects/
# Put each project file back in its own folder (src/X/X.csproj) so the restore sees the real layout.
RUN for f in src-projects/*.csproj; do n=$(basename "$f" .csproj); mkdir -p "src/$n" && mv "$f" "src/$n/"; done \
 && for f in test-projects/*.csproj; do n=$(basename "$f" .csproj); mkdir -p "tests/$n" && mv "$f" "tests/$n/"; done \
 && for f in bench-projects/*.csproj; do n=$(basename "$f" .csproj); mkdir -p "bench/$n" && mv "$f" "bench/$n/"; done \
 && dotnet restore ReadingBot.sln

FROM restore AS build
COPY . .
RUN dotnet build ReadingBot.sln -c Release --no-restore

FROM build AS test
# The tests run as CI runs them: .ci/run installs what they need (Node.js, Chromium, PostgreSQL), starts a throwaway
# PostgreSQL cluster for the store contract tests, and fails on any failed test.
RUN bash .ci/run && touch /tmp/tests-passed

FROM build AS publish
# Depending on the test stage makes a plain `docker build` run the tests: a failing test fails the image.
COPY --from=test /tmp/tests-passed /tmp/tests-passed
# ReadyToRun: the image ships precompiled code, so a restarted bot under load does not spend its first seconds in
# the JIT (a third of its CPU in the first 15 s under load before this, docs/benchmarks.md, issue #15). Publishing
# for one runtime builds again, so it restores and builds here rather than reusing the build stage's output.
ARG TARGETARCH
RUN rid="linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64)" \
 && dotnet publish src/ReadingBot.Host/ReadingBot.Host.csproj -c Release -r "$rid" --self-contained false \
      -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tzdata curl fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system readingbot && useradd --system --gid readingbot --home-dir /app readingbot \
 && mkdir -p /data && chown readingbot:readingbot /data
WORKDIR /app
COPY --from=publish /app ./
USER readingbot
ENV READINGBOT_DATA=/data \
    READINGBOT_Web__Urls=http://0.0.0.0:5080 \
    READINGBOT_Local__Enabled=false \
    DOTNET_NOLOGO=1
VOLUME ["/data"]
EXPOSE 5080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:5080/healthz || exit 1
ENTRYPOINT ["dotnet", "ReadingBot.Host.dll"]

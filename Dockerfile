# The pgo operator image:  docker build -t pgo-operator:0.1.0 .
# It runs `pgo operator --platform kubernetes` (the Deployment that `pgo install` makes passes
# those arguments); the same image also serves as a pgo client: docker run pgo-operator:0.1.0 version
FROM maven:3-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml ./
COPY operator-core operator-core
COPY pgo-cmd pgo-cmd
COPY pgo-tui pgo-tui
RUN mvn -B -q -Dstyle.color=never -DskipTests package

FROM eclipse-temurin:25-jre
COPY --from=build /src/pgo-cmd/target/pgo-cmd.jar /opt/pgo/pgo-cmd.jar
COPY --from=build /src/pgo-cmd/target/lib /opt/pgo/lib
# An unprivileged user that owns nothing; the root filesystem can be mounted read-only
# (no hsperfdata files in /tmp).
USER 65532:65532
ENV HOME=/tmp
ENTRYPOINT ["java", "-XX:-UsePerfData", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-cp", "/opt/pgo/pgo-cmd.jar:/opt/pgo/lib/*", "dev.pgo.cmd.Main"]
CMD ["operator", "--platform", "kubernetes"]

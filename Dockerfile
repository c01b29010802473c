# Multi-stage build of the API and the CLI; the runtime image runs as a non-root user.
#   docker build -t oversight-api .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig OversightBackend.sln ./
COPY src/ src/
RUN dotnet publish src/Oversight.Api/Oversight.Api.csproj -c Release -o /app/api --nologo \
 && dotnet publish src/Oversight.Cli/Oversight.Cli.csproj -c Release -o /app/cli --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/api ./
COPY --from=build /app/cli ./cli/
# The image's unprivileged user (uid 1654 in the .NET images).
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_gcServer=1
EXPOSE 8080
ENTRYPOINT ["dotnet", "Oversight.Api.dll"]

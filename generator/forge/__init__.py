"""Work done in the forge (`commonplace fetch --forge`): reviews and issues opened, read from the
GitHub or GitLab API and written as contribution records into `contributions/forge-YYYY-MM.yaml`.

`http` talks to the API (bounded requests, pagination, rate limits, retries), `github` and
`gitlab` turn their answers into `Activity` items, `records` matches logins to members and writes
the files."""

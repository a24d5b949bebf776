"""Call-off competitions under the framework, in the app's standard shape: rules (pure),
selectors (who sees what), services (every write), forms, views and the API."""

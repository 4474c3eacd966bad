"""The Automations page: rules, the rule wizard and custom-rule builder, connections,
scheduled reports."""

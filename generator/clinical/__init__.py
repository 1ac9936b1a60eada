"""The summary's clinical logic by topic, as pure functions of the validated content and a
patient's values. `generator.rules` binds them into `Rules`, the one entry point callers use."""

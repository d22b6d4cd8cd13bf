"""The plan: read (loader), modelled (models), checked (validate), summed up (summary)."""

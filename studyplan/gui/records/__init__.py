"""学习记录: a session's minutes, speeches, materials, reflections and attachments."""

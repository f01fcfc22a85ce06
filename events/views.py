def upcoming_events(request):
    raise NotImplementedError


def event_detail(request, slug):
    raise NotImplementedError


def event_calendar(request, slug):
    raise NotImplementedError

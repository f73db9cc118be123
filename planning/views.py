from django.http import HttpResponse


def home(request):
    return HttpResponse("Waymark")


def plan_detail(request, slug):
    return HttpResponse(slug)
